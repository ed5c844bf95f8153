// The local API Gateway over real HTTP (fetch) in front of the real Lambda runtime running fixture handlers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiGatewayHandle, createApiGateway, MethodSpec, RestApiSpec } from '../../../../local/apigateway';
import { LambdaRuntime } from '../../../../local/lambda';
import { fixtureFunction } from '../../../support/functions';
import { until } from '../../../support/poll';

/** Parsed JSON documents (the type JSON.parse itself returns). */
type Json = ReturnType<typeof JSON.parse>;

const fn = fixtureFunction;

const proxy = (functionName: string, extra: Partial<MethodSpec> = {}, httpMethod = 'GET'): MethodSpec => ({
  httpMethod,
  apiKeyRequired: false,
  integration: { type: 'AWS_PROXY', functionName },
  ...extra,
});

const KEY_GOOD = 'good-key-0000000000000000000000000001';
const KEY_DISABLED = 'disabled-key-000000000000000000000002';
const KEY_NOPLAN = 'noplan-key-00000000000000000000000003';
const KEY_THROTTLE = 'throttle-key-0000000000000000000004';
const KEY_METHOD = 'method-key-000000000000000000000005';
const KEY_QUOTA = 'quota-key-0000000000000000000000006';

const itemModel = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  type: 'object',
  required: ['name', 'quantity'],
  properties: { name: { type: 'string', minLength: 1 }, quantity: { type: 'integer', minimum: 1 } },
  additionalProperties: false,
};

const mainApi: RestApiSpec = {
  id: 'mainapi001',
  name: 'main',
  stageName: 'prod',
  resources: [
    { path: '/api/items', methods: [proxy('gw-echo'), proxy('gw-echo', {}, 'POST')] },
    { path: '/api/items/special', methods: [{ httpMethod: 'GET', apiKeyRequired: false, integration: { type: 'MOCK', statusCode: 200, body: '{"special":true}' } }] },
    { path: '/api/items/{id}', methods: [proxy('gw-echo')] },
    { path: '/api/files/{proxy+}', methods: [proxy('gw-echo')] },
    { path: '/api/any', methods: [proxy('gw-echo', {}, 'ANY')] },
    { path: '/api/keyed', methods: [proxy('gw-echo', { apiKeyRequired: true })] },
    {
      path: '/api/validated',
      methods: [
        proxy(
          'gw-echo',
          {
            requestParameters: { 'method.request.querystring.limit': true, 'method.request.header.X-Tenant': true, 'method.request.querystring.optional': false },
            requestValidator: { validateRequestBody: true, validateRequestParameters: true },
            requestModel: itemModel,
          },
          'POST',
        ),
      ],
    },
    { path: '/api/fail', methods: [proxy('gw-fail')] },
    { path: '/api/malformed', methods: [proxy('gw-malformed')] },
    { path: '/api/lambda-timeout', methods: [proxy('gw-short')] },
    { path: '/api/integration-timeout', methods: [{ ...proxy('gw-sleep'), integration: { type: 'AWS_PROXY', functionName: 'gw-sleep', timeoutMs: 300 } }] },
    { path: '/api/capped', methods: [proxy('gw-capped')] },
    { path: '/api/binary', methods: [proxy('gw-binary', {}, 'POST')] },
    { path: '/api/trace', methods: [proxy('gw-trace')] },
    { path: '/api/missing-fn', methods: [proxy('gw-not-registered')] },
  ],
  apiKeys: [
    { id: 'k-good', name: 'good', value: KEY_GOOD, enabled: true },
    { id: 'k-disabled', name: 'disabled', value: KEY_DISABLED, enabled: false },
    { id: 'k-noplan', name: 'noplan', value: KEY_NOPLAN, enabled: true },
  ],
  usagePlans: [
    { id: 'plan-main', name: 'main', apiStages: [{ apiId: 'mainapi001', stage: 'prod' }], keyIds: ['k-good', 'k-disabled'] },
    { id: 'plan-other', name: 'other', apiStages: [{ apiId: 'otherapi01', stage: 'dev' }], keyIds: ['k-noplan'] },
  ],
};

const otherApi: RestApiSpec = {
  id: 'otherapi01',
  name: 'other',
  stageName: 'dev',
  resources: [{ path: '/ping', methods: [{ httpMethod: 'GET', apiKeyRequired: false, integration: { type: 'MOCK', statusCode: 200, body: '{"pong":true}' } }] }],
  apiKeys: [],
  usagePlans: [],
};

const throttleApi: RestApiSpec = {
  id: 'thrapi0001',
  name: 'throttled',
  stageName: 'thr',
  resources: ['/burst', '/limited', '/free', '/quota'].map((p) => ({ path: p, methods: [proxy('gw-ok', { apiKeyRequired: true })] })),
  apiKeys: [
    { id: 'k-thr', name: 'thr', value: KEY_THROTTLE, enabled: true },
    { id: 'k-method', name: 'method', value: KEY_METHOD, enabled: true },
    { id: 'k-quota', name: 'quota', value: KEY_QUOTA, enabled: true },
  ],
  usagePlans: [
    { id: 'plan-thr', name: 'thr', throttle: { rateLimit: 2, burstLimit: 3 }, apiStages: [{ apiId: 'thrapi0001', stage: 'thr' }], keyIds: ['k-thr'] },
    {
      id: 'plan-method',
      name: 'method',
      throttle: { rateLimit: 1000, burstLimit: 1000 },
      apiStages: [{ apiId: 'thrapi0001', stage: 'thr', throttle: { '/limited/GET': { rateLimit: 0.5, burstLimit: 1 } } }],
      keyIds: ['k-method'],
    },
    { id: 'plan-quota', name: 'quota', quota: { limit: 3, period: 'DAY' }, apiStages: [{ apiId: 'thrapi0001', stage: 'thr' }], keyIds: ['k-quota'] },
  ],
};

const stageApi: RestApiSpec = {
  id: 'stageapi01',
  name: 'stage-throttled',
  stageName: 'st',
  resources: [{ path: '/open', methods: [{ httpMethod: 'GET', apiKeyRequired: false, integration: { type: 'MOCK', statusCode: 200, body: '{}' } }] }],
  apiKeys: [],
  usagePlans: [],
  stageThrottle: { rateLimit: 1, burstLimit: 2 },
};

const runtime = new LambdaRuntime();
let gw: ApiGatewayHandle;
const gwLog: string[] = [];

beforeAll(async () => {
  runtime.register(fn('gw-echo', 'proxy.echo'));
  runtime.register(fn('gw-ok', 'proxy.ok'));
  runtime.register(fn('gw-fail', 'proxy.fail'));
  runtime.register(fn('gw-malformed', 'proxy.malformed'));
  runtime.register(fn('gw-short', 'proxy.sleep', { timeoutSeconds: 1 }));
  runtime.register(fn('gw-sleep', 'proxy.sleep'));
  runtime.register(fn('gw-capped', 'proxy.sleep', { reservedConcurrency: 1 }));
  runtime.register(fn('gw-binary', 'proxy.binary'));
  runtime.register(fn('gw-trace', 'proxy.trace'));
  gw = await createApiGateway({
    port: 0,
    apis: [mainApi, otherApi, throttleApi, stageApi],
    invoke: (name, event, opts) => runtime.invoke(name, event, opts),
    log: (m) => gwLog.push(m),
  });
});

afterAll(async () => {
  await gw.close();
  await runtime.close();
});

async function get(p: string, headers: Record<string, string> = {}) {
  const res = await fetch(gw.url + p, { headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as Json };
}

describe('routing and URLs', () => {
  test('stage URL, stage-less URL for the first API, and the LocalStack _user_request_ form', async () => {
    const staged = await get('/prod/api/items/42');
    const bare = await get('/api/items/42');
    const ls = await get('/restapis/mainapi001/prod/_user_request_/api/items/42');
    for (const r of [staged, bare, ls]) {
      expect(r.status).toBe(200);
      expect(r.json().pathParameters).toEqual({ id: '42' });
      expect(r.json().requestContext.path).toBe('/prod/api/items/42');
    }
    const other = await get('/dev/ping');
    expect(other.status).toBe(200);
    expect(other.json()).toEqual({ pong: true });
  });

  test('literal resources beat {param}; greedy {proxy+}; ANY', async () => {
    expect((await get('/prod/api/items/special')).json()).toEqual({ special: true });
    const files = await get('/prod/api/files/docs/a/b.txt');
    expect(files.json().resource).toBe('/api/files/{proxy+}');
    expect(files.json().pathParameters).toEqual({ proxy: 'docs/a/b.txt' });
    const res = await fetch(`${gw.url}/prod/api/any`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Record<string, unknown>).httpMethod).toBe('DELETE');
  });

  test('unknown path and unknown method are 403 Missing Authentication Token', async () => {
    const put = await fetch(`${gw.url}/prod/api/items/1`, { method: 'PUT', body: 'x' });
    const putResult = { status: put.status, headers: put.headers, text: await put.text() };
    for (const r of [await get('/prod/nowhere'), await get('/nostage/api/items'), putResult]) {
      expect(r.status).toBe(403);
      expect(JSON.parse(r.text)).toEqual({ message: 'Missing Authentication Token' });
      expect(r.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
      expect(r.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('Lambda proxy event and response', () => {
  test('the event has the REST API (1.0) shape', async () => {
    const res = await fetch(`${gw.url}/prod/api/items?limit=5&tag=a&tag=b&enc=x%20y`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Custom': 'one', 'User-Agent': 'jest-agent' },
      body: JSON.stringify({ name: 'widget' }),
    });
    expect(res.status).toBe(200);
    const ev = (await res.json()) as Json;
    expect(ev.resource).toBe('/api/items');
    expect(ev.path).toBe('/api/items');
    expect(ev.httpMethod).toBe('POST');
    expect(ev.headers['X-Custom']).toBe('one');
    expect(ev.multiValueHeaders['X-Custom']).toEqual(['one']);
    expect(ev.headers['X-Forwarded-For']).toBe('127.0.0.1');
    expect(ev.headers['X-Forwarded-Proto']).toBe('http');
    expect(ev.headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}/);
    expect(ev.queryStringParameters).toEqual({ limit: '5', tag: 'b', enc: 'x y' });
    expect(ev.multiValueQueryStringParameters).toEqual({ limit: ['5'], tag: ['a', 'b'], enc: ['x y'] });
    expect(ev.pathParameters).toBeNull();
    expect(ev.stageVariables).toBeNull();
    expect(ev.body).toBe('{"name":"widget"}');
    expect(ev.isBase64Encoded).toBe(false);
    const rc = ev.requestContext;
    expect(rc).toMatchObject({
      accountId: '000000000000',
      apiId: 'mainapi001',
      resourcePath: '/api/items',
      httpMethod: 'POST',
      path: '/prod/api/items',
      stage: 'prod',
      protocol: 'HTTP/1.1',
      requestId: res.headers.get('x-amzn-requestid'),
      extendedRequestId: res.headers.get('x-amz-apigw-id'),
      domainName: new URL(gw.url).host,
    });
    expect(rc.resourceId).toMatch(/^[a-z0-9]{6}$/);
    expect(rc.requestTime).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(typeof rc.requestTimeEpoch).toBe('number');
    expect(rc.identity).toMatchObject({ sourceIp: '127.0.0.1', userAgent: 'jest-agent', apiKey: null, apiKeyId: null });
  });

  test('no query string gives null query maps; GET has a null body', async () => {
    const ev = (await get('/prod/api/items/7')).json();
    expect(ev.queryStringParameters).toBeNull();
    expect(ev.multiValueQueryStringParameters).toBeNull();
    expect(ev.body).toBeNull();
  });

  test('binary request bodies arrive base64-encoded; base64 responses are decoded', async () => {
    const bytes = Buffer.from([0, 255, 1, 254, 10, 13]);
    const echo = await fetch(`${gw.url}/prod/api/items`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: bytes });
    const ev = (await echo.json()) as Json;
    expect(ev.isBase64Encoded).toBe(true);
    expect(Buffer.from(ev.body as string, 'base64').equals(bytes)).toBe(true);
    const bin = await fetch(`${gw.url}/prod/api/binary`, { method: 'POST' });
    expect(bin.status).toBe(201);
    expect(bin.headers.get('content-type')).toBe('application/octet-stream');
    expect([...new Uint8Array(await bin.arrayBuffer())]).toEqual([0, 1, 2, 253, 254, 255]);
  });

  test('response headers and multiValueHeaders are mapped', async () => {
    const res = await fetch(`${gw.url}/prod/api/items/1`);
    expect(res.headers.get('x-handler')).toBe('echo');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(res.headers.get('x-amz-apigw-id')).toMatch(/^[A-Za-z0-9+/]{15}=$/);
  });

  test('function error, malformed response and Lambda timeout are 502 Internal server error', async () => {
    for (const p of ['/prod/api/fail', '/prod/api/malformed', '/prod/api/lambda-timeout?ms=1500']) {
      const r = await get(p);
      expect(r.status).toBe(502);
      expect(r.json()).toEqual({ message: 'Internal server error' });
    }
    expect(gwLog.some((l) => l.includes('Malformed Lambda proxy response'))).toBe(true);
    expect(gwLog.some((l) => l.includes('timeout'))).toBe(true);
  });

  test('integration timeout is 504 Endpoint request timed out', async () => {
    const r = await get('/prod/api/integration-timeout?ms=1000');
    expect(r.status).toBe(504);
    expect(r.json()).toEqual({ message: 'Endpoint request timed out' });
  });

  test('Lambda throttling the invocation, or an unknown function, is 500', async () => {
    const [a, b] = await Promise.all([get('/prod/api/capped?ms=400'), get('/prod/api/capped?ms=400')]);
    expect([a.status, b.status].sort()).toEqual([200, 500]);
    const failed = a.status === 500 ? a : b;
    expect(failed.json()).toEqual({ message: 'Internal server error' });
    expect((await get('/prod/api/missing-fn')).status).toBe(500);
  });

  test('bodies over 10 MB are 413 (AWS\'s plain-text answer); over Lambda\'s 6 MB, 413 Request Too Long (more in limits.test.ts)', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 97);
    const res = await fetch(`${gw.url}/prod/api/items`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: big });
    expect(res.status).toBe(413);
    expect(await res.text()).toBe('HTTP content length exceeded 10485760 bytes.');
    const ok = await fetch(`${gw.url}/prod/api/items`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: Buffer.alloc(1024 * 1024, 97) });
    expect(ok.status).toBe(200);
    // Under API Gateway's limit but over Lambda's 6 MB: Lambda refuses the invocation, API Gateway answers 413.
    const overLambda = await fetch(`${gw.url}/prod/api/items`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: Buffer.alloc(7 * 1024 * 1024, 97) });
    expect(overLambda.status).toBe(413);
    expect(await overLambda.text()).toBe('{"message": "Request Too Long"}');
  });

  test('X-Ray: an incoming trace header is continued to the function and returned', async () => {
    const root = '1-5759e988-bd862e3fe1be46a994272793';
    const r = await get('/prod/api/trace', { 'X-Amzn-Trace-Id': `Root=${root};Sampled=1` });
    const out = r.json();
    expect(r.headers.get('x-amzn-trace-id')).toMatch(new RegExp(`^Root=${root};Parent=[0-9a-f]{16};Sampled=1$`));
    expect(out.env).toBe(r.headers.get('x-amzn-trace-id'));
    expect(out.header).toBe(out.env);
    const fresh = await get('/prod/api/trace');
    expect(fresh.headers.get('x-amzn-trace-id')).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=1$/);
    expect(fresh.json().env).toBe(fresh.headers.get('x-amzn-trace-id'));
  });
});

describe('API keys', () => {
  test('a valid key on a plan of this stage passes, and the event names it', async () => {
    const r = await get('/prod/api/keyed', { 'x-api-key': KEY_GOOD });
    expect(r.status).toBe(200);
    expect(r.json().requestContext.identity).toMatchObject({ apiKey: KEY_GOOD, apiKeyId: 'k-good' });
  });

  test.each([
    ['no key', {}],
    ['an unknown key', { 'x-api-key': 'not-a-key-at-all-0000000000000' }],
    ['a disabled key', { 'x-api-key': KEY_DISABLED }],
    ['a key whose plan is not attached to this stage', { 'x-api-key': KEY_NOPLAN }],
  ])('%s is 403 Forbidden', async (_name, headers) => {
    const r = await get('/prod/api/keyed', headers as Record<string, string>);
    expect(r.status).toBe(403);
    expect(r.json()).toEqual({ message: 'Forbidden' });
    expect(r.headers.get('x-amzn-errortype')).toBe('ForbiddenException');
  });
});

describe('throttling and quotas (real time)', () => {
  const withKey = (key: string) => ({ 'x-api-key': key });

  test('429 once the burst is spent, then recovery after the refill', async () => {
    const burst = await Promise.all(Array.from({ length: 7 }, () => get('/thr/burst', withKey(KEY_THROTTLE))));
    const statuses = burst.map((r) => r.status);
    const throttled = burst.filter((r) => r.status === 429);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(3);
    expect(throttled.length).toBeGreaterThanOrEqual(1);
    expect(throttled[0].json()).toEqual({ message: 'Too Many Requests' });
    expect(throttled[0].headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
    // rate 2/s: tokens come back; a refused request takes none, so polling costs nothing
    for (const n of [1, 2]) await until(`token ${n} to come back`, async () => (await get('/thr/burst', withKey(KEY_THROTTLE))).status === 200, { intervalMs: 50 });
  });

  test('per-method throttle in the usage plan limits only that method', async () => {
    expect((await get('/thr/limited', withKey(KEY_METHOD))).status).toBe(200);
    expect((await get('/thr/limited', withKey(KEY_METHOD))).status).toBe(429);
    for (let i = 0; i < 5; i++) expect((await get('/thr/free', withKey(KEY_METHOD))).status).toBe(200);
  });

  test('quota exhaustion is 429 Limit Exceeded', async () => {
    for (let i = 0; i < 3; i++) expect((await get('/thr/quota', withKey(KEY_QUOTA))).status).toBe(200);
    const r = await get('/thr/quota', withKey(KEY_QUOTA));
    expect(r.status).toBe(429);
    expect(r.json()).toEqual({ message: 'Limit Exceeded' });
    expect(r.headers.get('x-amzn-errortype')).toBe('LimitExceededException');
  });

  test('stage-level throttle applies to all callers', async () => {
    const rs = await Promise.all(Array.from({ length: 4 }, () => get('/st/open')));
    expect(rs.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(2);
    expect(rs.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(1);
  });
});

describe('request validation', () => {
  const post = (qs: string, headers: Record<string, string>, body: unknown) =>
    fetch(`${gw.url}/prod/api/validated${qs}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  test('missing required parameters are 400', async () => {
    const none = await post('', {}, { name: 'a', quantity: 1 });
    expect(none.status).toBe(400);
    expect(await none.json()).toEqual({ message: 'Missing required request parameters: [limit, X-Tenant]' });
    expect(none.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    const one = await post('', { 'X-Tenant': 't' }, { name: 'a', quantity: 1 });
    expect(await one.json()).toEqual({ message: 'Missing required request parameters: [limit]' });
  });

  test('a body that does not match the model is 400 Invalid request body', async () => {
    for (const body of [{ name: 'a' }, { name: 'a', quantity: 0 }, { name: 'a', quantity: 1, extra: 1 }, 'not json']) {
      const r = await post('?limit=1', { 'X-Tenant': 't' }, body);
      expect(r.status).toBe(400);
      expect(await r.json()).toEqual({ message: 'Invalid request body' });
    }
  });

  test('a valid request passes through to the function', async () => {
    const r = await post('?limit=1', { 'X-Tenant': 't' }, { name: 'a', quantity: 2 });
    expect(r.status).toBe(200);
    expect(((await r.json()) as Json).queryStringParameters).toEqual({ limit: '1' });
  });
});

describe('quota state across restarts and the injected clock', () => {
  const quotaApi: RestApiSpec = {
    id: 'quotaapi01',
    name: 'quota',
    stageName: 'q',
    resources: [{ path: '/m', methods: [{ httpMethod: 'GET', apiKeyRequired: true, integration: { type: 'MOCK', statusCode: 200, body: '{}' } }] }],
    apiKeys: [{ id: 'qk', name: 'qk', value: 'quota-persist-key-00000000000000', enabled: true }],
    usagePlans: [{ id: 'qp', name: 'qp', quota: { limit: 2, period: 'DAY' }, apiStages: [{ apiId: 'quotaapi01', stage: 'q' }], keyIds: ['qk'] }],
  };
  const headers = { 'x-api-key': 'quota-persist-key-00000000000000' };
  const invoke = () => Promise.reject(new Error('no functions here'));

  test('quota counters survive a restart through statePath', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apigw-state-'));
    const statePath = path.join(dir, 'state.json');
    const first = await createApiGateway({ apis: [quotaApi], invoke, statePath });
    expect((await fetch(`${first.url}/q/m`, { headers })).status).toBe(200);
    expect((await fetch(`${first.url}/q/m`, { headers })).status).toBe(200);
    await first.close();
    const second = await createApiGateway({ apis: [quotaApi], invoke, statePath });
    try {
      const r = await fetch(`${second.url}/q/m`, { headers });
      expect(r.status).toBe(429);
      expect(await r.json()).toEqual({ message: 'Limit Exceeded' });
    } finally {
      await second.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a DAY quota resets at 00:00 UTC', async () => {
    let now = Date.UTC(2030, 0, 1, 23, 59, 0);
    const g = await createApiGateway({ apis: [quotaApi], invoke, now: () => now });
    try {
      expect((await fetch(`${g.url}/q/m`, { headers })).status).toBe(200);
      expect((await fetch(`${g.url}/q/m`, { headers })).status).toBe(200);
      expect((await fetch(`${g.url}/q/m`, { headers })).status).toBe(429);
      now = Date.UTC(2030, 0, 2, 0, 0, 1);
      expect((await fetch(`${g.url}/q/m`, { headers })).status).toBe(200);
    } finally {
      await g.close();
    }
  });
});
