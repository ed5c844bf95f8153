/**
 * Malformed requests, drawn deterministically (a seed) for a route: bodies, path and query
 * parameters, headers, encodings and sizes, each case named by what it breaks so that a finding
 * can be replayed.
 */
import { gzipSync } from 'node:zlib';
import { seeded } from '../load/scenarios';
import type { Route } from './routes';

export interface FuzzCase {
  route: Route;
  /** what this case breaks, e.g. "body:truncated-json" */
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** Valid-looking bodies, per route, for the field-level mutations to start from. */
const BASES: Record<string, Record<string, unknown>> = {
  'POST /api/catalog': { product_id: 'FUZZ-1', name: 'Fuzz product', price: 9.99, category: 'Fuzz', stock: 3 },
  'PUT /api/catalog/{id}': { name: 'Renamed', price: 10.5, version: 1 },
  'DELETE /api/catalog/{id}': { version: 1 },
  'POST /api/orders': { user_id: 'fuzz-user', items: [{ product_id: 'FUZZ-NOPE', quantity: 1 }] },
  'POST /api/payments': { order_id: 'ord_fuzz', amount_minor: 1000, currency: 'USD', payment_method: { card_number: '4000000000000002' } },
  'POST /api/payments/{id}/refund': { reason: 'fuzz' },
  'POST /api/inventory/{product_id}/restock': { quantity: 1, reason: 'fuzz' },
};

const PATH_VALUES = [
  '',
  '%20',
  'a'.repeat(2048),
  '%ZZ',
  '%00',
  '%C0%AF',
  '..%2F..%2Fetc%2Fpasswd',
  '%F0%9F%92%A9',
  '%E2%80%AE',
  "'%20OR%201=1--",
  '%7B%22a%22%3A1%7D',
  '-1',
  '1e309',
  'NaN',
  'null',
  '__proto__',
  'constructor',
  '%2e%2e',
  'FUZZ-NOPE',
  '%FF%FE',
  'x'.repeat(300),
  '%0d%0aSet-Cookie:%20x=1',
];

const QUERY_VALUES = ['', '-1', '0', '1e309', 'NaN', 'abc', 'true', '%ZZ', '%00', 'a'.repeat(5000), '[]', '{}', '99999999999999999999', '1.5', '%E2%80%AE', 'null'];

const FIELD_VALUES: unknown[] = [
  null,
  true,
  -1,
  0,
  1.5,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  ' ',
  'x'.repeat(100_000),
  '\u0000',
  '\ud800',
  '<script>alert(1)</script>',
  [],
  [null],
  {},
  { $gt: '' },
  { __proto__: { polluted: true } },
  'NaN',
  '12',
];

const BAD_JSON = [
  '{',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '[1,2',
  'nul',
  '{"a":"\\x41"}',
  '{"a":"\\ud800"}',
  '\u00ef\u00bb\u00bf{}',
  '{"a":1}{"b":2}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"a":1,"a":2}',
  '1e99999',
  '"just a string"',
  '42',
  'true',
  'null',
  '[]',
  '[{}]',
];

const CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json; charset=',
  'application/vnd.api+json',
  'application/json, text/html',
  '*/*',
  'image/png',
  '',
  'application/json; boundary=x; charset=utf-8; q=0.1',
];

const HEADER_CASES: Array<[string, string]> = [
  ['idempotency-key', ''],
  ['idempotency-key', 'k'.repeat(4000)],
  ['idempotency-key', '\u00e9\u00e8'],
  ['idempotency-key', ' '],
  ['x-saga-fault', 'reserve=explode'],
  ['x-saga-fault', 'nowhere=error'],
  ['x-saga-fault', '=='],
  ['x-saga-fault', 'payment=delay=-5'],
  ['x-saga-fault', 'payment=delay=999999999999'],
  ['if-match', '"garbage"'],
  ['accept', 'application/xml'],
  ['accept-encoding', 'br;q=2, gzip;q=NaN'],
  ['x-correlation-id', 'c'.repeat(8000)],
  ['traceparent', 'not-a-trace'],
  ['x-amzn-trace-id', 'Root=garbage;;;'],
  ['cookie', 'a=b'.repeat(1000)],
  ['x-forwarded-for', '999.999.999.999'],
];

export interface CaseOptions {
  seed?: number;
  /** keys: the internal plan's (used for most cases), and the standard plan's */
  keys: { internal: string; standard: string };
  /** share of cases with a body over Lambda's 6 MB invoke limit (API Gateway's 10 MB limit beyond) */
  hugeEvery?: number;
}

/** The `n` cases of a run, round-robin over the routes. */
export function* fuzzCases(routes: Route[], n: number, o: CaseOptions): Generator<FuzzCase> {
  const rng = seeded(o.seed ?? 7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const hugeEvery = o.hugeEvery ?? 2500;
  for (let i = 0; i < n; i++) {
    const route = routes[i % routes.length]!;
    const key = `${route.method} ${route.path}`;
    const base = BASES[key] ?? {};
    const headers: Record<string, string> = { 'x-api-key': o.keys.internal };
    let pathValue = (): string => (route.path.includes('{id}') && route.path.startsWith('/api/orders') ? 'ord_fuzz_nope' : 'FUZZ-NOPE');
    let query = '';
    let body: Buffer | undefined = route.method === 'GET' || route.method === 'DELETE' ? undefined : Buffer.from(JSON.stringify(base));
    if (body) headers['content-type'] = 'application/json';
    let kind: string;
    let method = route.method;
    let extraPath = '';
    const r = rng();
    if (i % hugeEvery === hugeEvery - 1) {
      // sizes beyond the limits: over Lambda's 6 MB, and over API Gateway's 10 MB
      const mb = (i / hugeEvery) % 2 < 1 ? 7 : 11;
      kind = `size:${mb}MB`;
      method = route.method === 'GET' ? 'POST' : route.method;
      body = Buffer.from(JSON.stringify({ ...base, pad: 'p'.repeat(mb * 1024 * 1024) }));
      headers['content-type'] = 'application/json';
    } else if (r < 0.12 && route.path.includes('{')) {
      const v = pick(PATH_VALUES);
      kind = `path-param:${v.slice(0, 24)}`;
      pathValue = () => v;
    } else if (r < 0.22) {
      const names = [...route.query, 'limit', 'cursor', 'unknown_param', 'user_id', 'sort', 'facets'];
      const parts = Array.from({ length: 1 + Math.floor(rng() * 3) }, () => `${pick(names)}=${pick(QUERY_VALUES)}`);
      if (rng() < 0.3) parts.push(`cursor=${Buffer.from(JSON.stringify(pick(FIELD_VALUES) ?? null)).toString('base64url')}`);
      if (rng() < 0.2) parts.push(`limit[]=1&limit[]=2`);
      query = `?${parts.join('&')}`;
      kind = `query:${parts[0]!.slice(0, 24)}`;
    } else if (r < 0.36) {
      const raw = pick(BAD_JSON);
      kind = `body:bad-json:${raw.slice(0, 16)}`;
      body = Buffer.from(raw);
      headers['content-type'] = 'application/json';
      if (method === 'GET') method = pick(['POST', 'PUT', 'GET']);
    } else if (r < 0.52) {
      const fields = Object.keys(base).length ? Object.keys(base) : ['anything'];
      const field = pick(fields);
      const value = pick(FIELD_VALUES);
      const mutated = { ...base, [field]: value };
      if (rng() < 0.3) (mutated as Record<string, unknown>)[pick(['extra', '__proto__', 'constructor', 'status', 'total'])] = pick(FIELD_VALUES);
      kind = `body:field:${field}=${JSON.stringify(value)?.slice(0, 16)}`;
      body = Buffer.from(JSON.stringify(mutated));
      headers['content-type'] = 'application/json';
    } else if (r < 0.58) {
      const depth = pick([100, 1000, 10_000, 100_000]);
      kind = `body:nested-${depth}`;
      body = Buffer.from(rng() < 0.5 ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
      headers['content-type'] = 'application/json';
    } else if (r < 0.66) {
      const ct = pick(CONTENT_TYPES);
      kind = `header:content-type:${ct.slice(0, 24)}`;
      body ??= Buffer.from(JSON.stringify(base));
      if (ct) headers['content-type'] = ct;
      else delete headers['content-type'];
      if (method === 'GET' && rng() < 0.5) method = 'POST';
    } else if (r < 0.72) {
      const [name, value] = pick(HEADER_CASES);
      kind = `header:${name}`;
      headers[name] = value;
    } else if (r < 0.8) {
      const enc = pick(['gzip-garbage', 'gzip-valid', 'utf16-bom', 'latin1', 'invalid-utf8', 'base64', 'form', 'empty', 'whitespace', 'nul-bytes']);
      kind = `encoding:${enc}`;
      const json = JSON.stringify(base);
      body = {
        'gzip-garbage': Buffer.from('not gzip at all'),
        'gzip-valid': gzipSync(json),
        'utf16-bom': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]),
        latin1: Buffer.from(json.replace('}', ',"n":"caf\u00e9"}'), 'latin1'),
        'invalid-utf8': Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff]), Buffer.from('"}')]),
        base64: Buffer.from(Buffer.from(json).toString('base64')),
        form: Buffer.from(Object.entries(base).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&')),
        empty: Buffer.alloc(0),
        whitespace: Buffer.from(' \n\t '),
        'nul-bytes': Buffer.from('{"a":"\u0000\u0000"}\u0000'),
      }[enc]!;
      if (enc.startsWith('gzip')) headers['content-encoding'] = 'gzip';
      headers['content-type'] = enc === 'form' ? 'application/x-www-form-urlencoded' : 'application/json';
      if (method === 'GET') method = 'POST';
    } else if (r < 0.86) {
      const size = pick([64 * 1024, 512 * 1024, 1024 * 1024, 3 * 1024 * 1024]);
      kind = `size:${size >> 10}KB`;
      body = Buffer.from(JSON.stringify({ ...base, [pick(Object.keys(base).length ? Object.keys(base) : ['pad'])]: 'z'.repeat(size) }));
      headers['content-type'] = 'application/json';
    } else if (r < 0.91) {
      const k = pick(['none', 'empty', 'wrong', 'standard', 'two', 'long']);
      kind = `key:${k}`;
      if (k === 'none') delete headers['x-api-key'];
      else if (k === 'empty') headers['x-api-key'] = '';
      else if (k === 'wrong') headers['x-api-key'] = 'not-a-key-' + Math.floor(rng() * 1e6);
      else if (k === 'standard') headers['x-api-key'] = o.keys.standard;
      else if (k === 'two') headers['x-api-key'] = `${o.keys.internal}, ${o.keys.standard}`;
      else headers['x-api-key'] = 'k'.repeat(4096);
    } else if (r < 0.96) {
      method = pick(['PATCH', 'PUT', 'DELETE', 'POST', 'HEAD', 'OPTIONS', 'TRACE', 'GET']);
      kind = `method:${method}`;
      if (method === 'GET' || method === 'HEAD') body = undefined;
    } else {
      const shape = pick(['trailing-slash', 'double-slash', 'extra-segment', 'upper-case', 'encoded-slash', 'dot-segment']);
      kind = `path:${shape}`;
      extraPath = shape;
    }
    let path = route.path.replace(/\{[^}]+\}/g, () => pathValue());
    if (extraPath === 'trailing-slash') path += '/';
    else if (extraPath === 'double-slash') path = path.replace('/api/', '//api//');
    else if (extraPath === 'extra-segment') path += '/extra';
    else if (extraPath === 'upper-case') path = path.toUpperCase();
    else if (extraPath === 'encoded-slash') path = path.replace(/\/([^/]*)$/, '%2F$1');
    else if (extraPath === 'dot-segment') path = path.replace('/api/', '/api/./');
    if (!path.startsWith('/')) path = '/' + path;
    yield { route, kind, method, path: path + query, headers, body };
  }
}
