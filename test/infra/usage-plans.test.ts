/**
 * The README's usage-plan table, enforced: the synthesized template's plans, deployed by the
 * local cloud's deployer, admit exactly the burst, then refuse, then admit exactly what the
 * rate refills, on an injected clock; quotas stop at exactly the daily limit and reset at 00:00 UTC.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QuotaStore, Router, type RestApiSpec } from '../../local/apigateway';
import { UsagePlans } from '../../local/apigateway/usage-plans';
import { readCloudAssembly } from '../../local/deployer/cloud-assembly';
import { deploy } from '../../local/deployer/deploy';
import { buildApp } from '../../lib/app';
import { methodThrottle, SERVICE_RATE_PER_MINUTE, USAGE_PLANS, type ServiceName } from '../../lib/config';
import { TEMPLATE_ONLY } from '../support/synth';

let api: RestApiSpec;

beforeAll(async () => {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'cdk-plans-'));
  buildApp({ outdir, context: TEMPLATE_ONLY }).app.synth();
  const d = await deploy(readCloudAssembly(outdir), {
    region: 'us-east-1',
    accountId: '000000000000',
    log: () => undefined,
    services: { apigateway: { apiKeyValue: (id, name) => `key-${name}` } },
  });
  api = d.apis[0]!;
}, 120_000);

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);

function harness() {
  const plans = new UsagePlans([api], new QuotaStore(undefined, () => undefined), T0);
  const router = new Router(api.resources);
  const usage = plans.stage(api.id, api.stageName);
  /** Admits one request of `key` to `METHOD path` at time `at`: 200, or the refusal's status and message. */
  return (key: string, method: string, urlPath: string, at: number): string => {
    const match = router.match(method, urlPath);
    if (match.kind !== 'ok') throw new Error(`no route ${method} ${urlPath}`);
    try {
      plans.admit(usage, match.method, key, at);
      return '200';
    } catch (err) {
      const e = err as { statusCode: number; message: string };
      return `${e.statusCode} ${e.message}`;
    }
  };
}

const count = (xs: string[], v: string) => xs.filter((x) => x === v).length;

describe('usage plans from the template, on an injected clock', () => {
  it.each(Object.keys(SERVICE_RATE_PER_MINUTE) as ServiceName[])('standard key on %s: the burst, then 429, then exactly the refill', (service) => {
    const route = api.resources.find((r) => r.path.startsWith(`/api/${service}`) && r.methods.some((m) => m.apiKeyRequired));
    if (!route) return expect(service).toMatch(/orders|payments|notifications/); // services not deployed yet have no routes
    const method = route.methods.find((m) => m.apiKeyRequired)!.httpMethod;
    const urlPath = route.path.replace(/\{[^}]+\}/g, 'x1');
    const { rateLimit, burstLimit } = methodThrottle(service, USAGE_PLANS.standard);
    expect(burstLimit).toBe(Math.max(5, Math.round(SERVICE_RATE_PER_MINUTE[service] / 5)));
    const admit = harness();
    // the plan's own ceiling (burst 40) is above every method's burst: the method's burst decides
    const first = Array.from({ length: burstLimit + 5 }, () => admit('key-ecommerce-standard', method, urlPath, T0));
    expect(count(first, '200')).toBe(burstLimit);
    expect(first.slice(burstLimit)).toEqual(Array(5).fill('429 Too Many Requests'));
    // one token comes back every 1/rate seconds
    const oneToken = Math.ceil(1000 / rateLimit);
    expect(admit('key-ecommerce-standard', method, urlPath, T0 + oneToken - 1)).toBe('429 Too Many Requests');
    expect(admit('key-ecommerce-standard', method, urlPath, T0 + oneToken)).toBe('200');
    expect(admit('key-ecommerce-standard', method, urlPath, T0 + oneToken)).toBe('429 Too Many Requests');
    // ten seconds refill exactly floor(10 * rate) tokens (no more than the burst)
    const later = T0 + oneToken + 10_000;
    const refill = Array.from({ length: burstLimit + 2 }, () => admit('key-ecommerce-standard', method, urlPath, later));
    expect(count(refill, '200')).toBe(Math.min(burstLimit, Math.floor(10 * rateLimit + ((oneToken * rateLimit) % 1000) / 1000)));
  });

  it('the partner key gets five times the standard burst on the same method', () => {
    const admit = harness();
    const results = Array.from({ length: 120 }, () => admit('key-ecommerce-partner', 'GET', '/api/inventory/x1', T0));
    expect(count(results, '200')).toBe(methodThrottle('inventory', USAGE_PLANS.partner).burstLimit);
    expect(methodThrottle('inventory', USAGE_PLANS.partner).burstLimit).toBe(100);
  });

  it('the internal key has no per-method throttle, only its plan-wide burst of 10,000', () => {
    const admit = harness();
    const results = Array.from({ length: 10_001 }, () => admit('key-ecommerce-internal', 'GET', '/api/inventory/x1', T0));
    expect(count(results, '200')).toBe(USAGE_PLANS.internal.burstLimit);
    expect(results[10_000]).toBe('429 Too Many Requests');
  });

  it('a key outside every plan, or none, is 403; health needs no key', () => {
    const admit = harness();
    expect(admit('not-a-key', 'GET', '/api/inventory/x1', T0)).toBe('403 Forbidden');
    expect(admit(undefined as unknown as string, 'GET', '/api/inventory/x1', T0)).toBe('403 Forbidden');
    expect(admit(undefined as unknown as string, 'GET', '/api/inventory/health', T0)).toBe('200');
  });

  it('the standard daily quota stops at exactly 10,000 requests and starts again at 00:00 UTC', () => {
    const admit = harness();
    const { rateLimit } = methodThrottle('catalog', USAGE_PLANS.standard);
    const step = Math.ceil(1000 / Math.min(rateLimit, USAGE_PLANS.standard.rateLimit)); // never throttled
    let ok = 0;
    let at = Date.UTC(2026, 11, 1, 0, 0, 0);
    for (let i = 0; i < USAGE_PLANS.standard.dailyQuota; i++, at += step) if (admit('key-ecommerce-standard', 'GET', '/api/catalog', at) === '200') ok++;
    expect(ok).toBe(USAGE_PLANS.standard.dailyQuota);
    expect(at).toBeLessThan(Date.UTC(2026, 11, 2)); // all within one day
    expect(admit('key-ecommerce-standard', 'GET', '/api/catalog', at)).toBe('429 Limit Exceeded');
    expect(admit('key-ecommerce-standard', 'GET', '/api/catalog', Date.UTC(2026, 11, 2, 0, 0, 0))).toBe('200');
  });
});
