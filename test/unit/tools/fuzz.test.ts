// The fuzzer's pure parts: routes from a template, the cases it draws, and how it judges answers.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fuzzCases, type FuzzCase } from '../../../tools/fuzz/cases';
import { judge } from '../../../tools/fuzz/fuzzer';
import { routesFromTemplate, type Route } from '../../../tools/fuzz/routes';

const template = {
  Resources: {
    Api: { Type: 'AWS::ApiGateway::RestApi', Properties: {} },
    ApiRes: { Type: 'AWS::ApiGateway::Resource', Properties: { ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, PathPart: 'api' } },
    Inv: { Type: 'AWS::ApiGateway::Resource', Properties: { ParentId: { Ref: 'ApiRes' }, PathPart: 'inventory' } },
    InvId: { Type: 'AWS::ApiGateway::Resource', Properties: { ParentId: { Ref: 'Inv' }, PathPart: '{product_id}' } },
    List: { Type: 'AWS::ApiGateway::Method', Properties: { HttpMethod: 'GET', ResourceId: { Ref: 'Inv' }, ApiKeyRequired: true, RequestParameters: { 'method.request.querystring.limit': false } } },
    One: { Type: 'AWS::ApiGateway::Method', Properties: { HttpMethod: 'GET', ResourceId: { Ref: 'InvId' }, ApiKeyRequired: true } },
    Restock: { Type: 'AWS::ApiGateway::Method', Properties: { HttpMethod: 'POST', ResourceId: { Ref: 'InvId' }, ApiKeyRequired: false, RequestModels: { 'application/json': { Ref: 'M' } } } },
  },
};

describe('routes from the synthesized template', () => {
  it('builds each method’s full path from its resources', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fuzz-routes-'));
    writeFileSync(path.join(dir, 'Stack.template.json'), JSON.stringify(template));
    expect(routesFromTemplate(dir)).toEqual([
      { method: 'GET', path: '/api/inventory', apiKeyRequired: true, query: ['limit'], hasModel: false },
      { method: 'GET', path: '/api/inventory/{product_id}', apiKeyRequired: true, query: [], hasModel: false },
      { method: 'POST', path: '/api/inventory/{product_id}', apiKeyRequired: false, query: [], hasModel: true },
    ]);
  });
});

const routes: Route[] = [
  { method: 'GET', path: '/api/inventory/{product_id}', apiKeyRequired: true, query: [], hasModel: false },
  { method: 'POST', path: '/api/orders', apiKeyRequired: true, query: [], hasModel: false },
  { method: 'GET', path: '/api/catalog', apiKeyRequired: true, query: ['limit', 'cursor'], hasModel: false },
];
const keys = { internal: 'KEY-I', standard: 'KEY-S' };

describe('cases', () => {
  it('are the same for the same seed, cover every route evenly and every family of breakage', () => {
    const a = [...fuzzCases(routes, 900, { keys, seed: 1, hugeEvery: 300 })];
    const b = [...fuzzCases(routes, 900, { keys, seed: 1, hugeEvery: 300 })];
    expect(a.map((c) => [c.kind, c.method, c.path])).toEqual(b.map((c) => [c.kind, c.method, c.path]));
    for (const r of routes) expect(a.filter((c) => c.route === r)).toHaveLength(300);
    const families = new Set(a.map((c) => c.kind.split(':')[0]));
    expect(families).toEqual(new Set(['path-param', 'query', 'body', 'header', 'encoding', 'size', 'key', 'method', 'path']));
    expect(a.filter((c) => c.kind === 'size:7MB' || c.kind === 'size:11MB').map((c) => c.kind)).toEqual(['size:7MB', 'size:11MB', 'size:7MB']);
    expect(a.every((c) => c.path.startsWith('/') && !/[\s]/.test(c.path))).toBe(true);
  });
});

const caseOf = (extra: Partial<FuzzCase> = {}): FuzzCase => ({ route: routes[1]!, kind: 'body:x', method: 'POST', path: '/api/orders', headers: {}, ...extra });
const app = (code: string) => JSON.stringify({ error: { code, message: 'm', details: [] } });

describe('judging an answer', () => {
  it('accepts the platform’s error shape and API Gateway’s own', () => {
    expect(judge(caseOf(), 422, {}, app('validation_failed'))).toBe('ok');
    expect(judge(caseOf(), 403, { 'x-amzn-errortype': 'ForbiddenException' }, '{"message":"Forbidden"}')).toBe('ok');
    expect(judge(caseOf(), 200, {}, '{"anything":1}')).toBe('ok');
  });

  it('flags error bodies off the shape, stack traces, 5xx and dropped connections', () => {
    expect(judge(caseOf(), 400, {}, '')).toBe('off-shape');
    expect(judge(caseOf(), 400, {}, '{"error":"bad"}')).toBe('off-shape');
    expect(judge(caseOf(), 422, {}, '{"error":{"code":"x","message":"y","details":"no"}}')).toBe('off-shape');
    expect(judge(caseOf(), 400, {}, '{"message":"x","stack":"TypeError\\n    at f (/work/x.ts:1:2)"}')).toBe('leak');
    expect(judge(caseOf(), 500, {}, app('internal_error'))).toBe('server-error');
    expect(judge(caseOf(), 502, {}, '{"message":"Internal server error"}')).toBe('server-error');
    expect(judge(caseOf(), 'reset', {}, '')).toBe('dropped');
  });

  it('knows the documented 5xx: a body over Lambda’s 6 MB, an open circuit, a health check failing', () => {
    const big = caseOf({ body: Buffer.alloc(7 * 1024 * 1024) });
    expect(judge(big, 500, { 'x-amzn-errortype': 'InternalServerErrorException' }, '{"message":"Internal server error"}')).toBe('documented-5xx');
    expect(judge(caseOf({ body: Buffer.alloc(100) }), 500, {}, '{"message":"Internal server error"}')).toBe('server-error');
    expect(judge(caseOf(), 503, { 'retry-after': '60' }, app('service_unavailable'))).toBe('documented-5xx');
    expect(judge(caseOf(), 503, {}, app('service_unavailable'))).toBe('server-error');
    expect(judge(caseOf({ method: 'GET', path: '/api/catalog/health' }), 503, {}, '{"service":"catalog","status":"unavailable","checks":{}}')).toBe('documented-5xx');
  });
});
