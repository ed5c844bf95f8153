/**
 * The OpenAPI document against the synthesized app: `bin/app.ts` (run as `cdk synth` runs it)
 * writes cdk.out/openapi.json; every API Gateway method of the template is in it and nothing
 * else; the API key requirement, the declared query parameters and the usage plans' limits are
 * the template's; and the document is valid OpenAPI 3.1 (@seriousme/openapi-schema-validator's
 * CLI, the package being ES modules only).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildOpenApiDocument } from '../../lib/openapi/document';
import { OPENAPI_FILE } from '../../lib/openapi/write';

const root = path.resolve(__dirname, '..', '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

type Cfn = { Type: string; Properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
type Operation = { security?: unknown[]; parameters?: Array<{ name: string; in: string; required: boolean }>; 'x-throttle'?: Record<string, { rate_limit: number; burst_limit: number }> };
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>>; 'x-usage-plans': Record<string, { rate_limit: number; burst_limit: number; quota: { limit: number; period: string } }> };

// One synth the way the CDK CLI runs the app (CDK_OUTDIR set: the app synthesizes on exit), without bundling the functions.
const outdir = mkdtempSync(path.join(os.tmpdir(), 'cdk-openapi-'));
const synth = spawnSync(bin('tsx'), ['bin/app.ts'], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:bundling-stacks': [] }) },
});
if (synth.status !== 0) throw new Error(`synth failed: ${synth.stderr}`);
const written = JSON.parse(readFileSync(path.join(outdir, OPENAPI_FILE), 'utf8')) as Doc;
const resources = (JSON.parse(readFileSync(path.join(outdir, 'EcommerceStateless.template.json'), 'utf8')) as { Resources: Record<string, Cfn> }).Resources;
const ofType = (type: string) => Object.values(resources).filter((r) => r.Type === type);

/** A resource's path from its PathPart and its parents' (the root is a GetAtt of the API). */
function resourcePath(ref: { Ref?: string }): string {
  if (!ref.Ref) return '';
  const r = resources[ref.Ref]!.Properties;
  return `${resourcePath(r.ParentId)}/${r.PathPart}`;
}
const methods = ofType('AWS::ApiGateway::Method').map((m) => ({
  method: (m.Properties.HttpMethod as string).toLowerCase(),
  path: resourcePath(m.Properties.ResourceId),
  apiKey: m.Properties.ApiKeyRequired === true,
  query: Object.keys(m.Properties.RequestParameters ?? {})
    .filter((p) => p.startsWith('method.request.querystring.'))
    .map((p) => p.slice('method.request.querystring.'.length))
    .sort(),
}));
const documented = Object.entries(written.paths).flatMap(([p, ops]) => Object.keys(ops).map((method) => ({ method, path: p, op: ops[method]! })));
const key = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;

describe('the OpenAPI document written at synth (cdk.out/openapi.json)', () => {
  it('is the document lib/openapi builds', () => {
    expect(written).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
    expect(written.openapi).toBe('3.1.0');
  });

  it('has every route of the synthesized template, and no other', () => {
    expect(methods.length).toBe(29);
    expect(documented.map(key).sort()).toEqual(methods.map(key).sort());
  });

  it("asks for an API key exactly where API Gateway does, and declares the template's query parameters", () => {
    for (const m of methods) {
      const op = written.paths[m.path]![m.method]!;
      expect({ route: key(m), open: op.security?.length === 0 }).toEqual({ route: key(m), open: !m.apiKey });
      const query = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name).sort();
      expect({ route: key(m), query }).toEqual({ route: key(m), query: m.query });
    }
  });

  it("gives each method the usage plans' limits that the template's usage plans set", () => {
    const plans = ofType('AWS::ApiGateway::UsagePlan');
    expect(plans.length).toBe(3);
    for (const plan of plans) {
      const name = (plan.Properties.UsagePlanName as string).replace(/^ecommerce-/, '');
      const documentedPlan = written['x-usage-plans'][name]!;
      expect(documentedPlan.quota).toEqual({ limit: plan.Properties.Quota.Limit, period: plan.Properties.Quota.Period });
      expect({ rate: documentedPlan.rate_limit, burst: documentedPlan.burst_limit }).toEqual({ rate: plan.Properties.Throttle.RateLimit, burst: plan.Properties.Throttle.BurstLimit });
      const perMethod = plan.Properties.ApiStages[0].Throttle as Record<string, { RateLimit: number; BurstLimit: number }>;
      for (const m of methods.filter((x) => x.apiKey)) {
        const limit = perMethod[`${m.path}/${m.method.toUpperCase()}`] ?? plan.Properties.Throttle;
        const throttle = written.paths[m.path]![m.method]!['x-throttle']![name]!;
        expect({ route: key(m), rate: throttle.rate_limit, burst: throttle.burst_limit }).toEqual({ route: key(m), rate: limit.RateLimit, burst: limit.BurstLimit });
      }
    }
  });

  it('is valid OpenAPI 3.1, and the validator does refuse an invalid document', () => {
    const run = (file: string) => spawnSync(bin('validate-api'), [file], { encoding: 'utf8' });
    const ok = run(path.join(outdir, OPENAPI_FILE));
    expect(JSON.parse(ok.stdout)).toEqual({ valid: true });
    expect(ok.status).toBe(0);

    const broken = JSON.parse(JSON.stringify(written)) as Doc & { info: Record<string, unknown> };
    delete broken.info.version;
    const badFile = path.join(outdir, 'broken-openapi.json');
    writeFileSync(badFile, JSON.stringify(broken));
    const bad = run(badFile);
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ valid: false, errors: [{ instancePath: '/info', params: { missingProperty: 'version' } }] });
  });
});
