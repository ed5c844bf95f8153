// Route matching of the local API Gateway: precedence, greedy parameters, ANY, decoding.
import { RouteConfigError, Router, splitPath } from '../../../../local/apigateway';
import type { MethodSpec } from '../../../../local/apigateway';

const m = (httpMethod: string): MethodSpec => ({ httpMethod, apiKeyRequired: false, integration: { type: 'MOCK', statusCode: 200, body: httpMethod } });

const router = new Router([
  { path: '/', methods: [m('GET')] },
  { path: '/api/items', methods: [m('GET'), m('POST')] },
  { path: '/api/items/special', methods: [m('GET')] },
  { path: '/api/items/{id}', methods: [m('GET'), m('DELETE')] },
  { path: '/api/items/{id}/reviews', methods: [m('ANY')] },
  { path: '/api/items/{id}/reviews/{reviewId}', methods: [m('GET')] },
  { path: '/api/files/{proxy+}', methods: [m('GET')] },
  { path: '/api/files/readme', methods: [m('PUT')] },
  { path: '/{proxy+}', methods: [m('ANY')] },
]);

function resourceOf(method: string, path: string): string | null {
  const r = router.match(method, path);
  return r.kind === 'ok' ? r.resource.path : r.kind;
}

describe('Router', () => {
  test('literal segments beat path parameters', () => {
    expect(resourceOf('GET', '/api/items/special')).toBe('/api/items/special');
    expect(resourceOf('GET', '/api/items/42')).toBe('/api/items/{id}');
  });

  test('path parameters are extracted and URL-decoded', () => {
    const r = router.match('GET', '/api/items/a%20b/reviews/r%2F1');
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.resource.path).toBe('/api/items/{id}/reviews/{reviewId}');
    expect(r.pathParams).toEqual({ id: 'a b', reviewId: 'r/1' });
  });

  test('no path parameters gives null, like API Gateway', () => {
    const r = router.match('GET', '/api/items');
    expect(r.kind === 'ok' && r.pathParams).toBeNull();
  });

  test('greedy {proxy+} takes the rest of the path, after literals and params lose', () => {
    const r = router.match('GET', '/api/files/a/b/c.txt');
    expect(r.kind === 'ok' && r.resource.path).toBe('/api/files/{proxy+}');
    expect(r.kind === 'ok' && r.pathParams).toEqual({ proxy: 'a/b/c.txt' });
    // A literal sibling of the greedy resource wins for its own path.
    expect(router.match('PUT', '/api/files/readme').kind).toBe('ok');
    // Root greedy resource catches everything unmatched.
    const root = router.match('PATCH', '/somewhere/else');
    expect(root.kind === 'ok' && root.pathParams).toEqual({ proxy: 'somewhere/else' });
  });

  test('backtracks from a literal branch that does not complete', () => {
    // "/api/items/special/reviews" is not under the literal "special" resource, so {id} = "special".
    const r = router.match('POST', '/api/items/special/reviews');
    expect(r.kind === 'ok' && r.resource.path).toBe('/api/items/{id}/reviews');
    expect(r.kind === 'ok' && r.pathParams).toEqual({ id: 'special' });
  });

  test('ANY matches every verb; an exact verb wins over ANY', () => {
    expect(router.match('PATCH', '/api/items/1/reviews').kind).toBe('ok');
    const exact = router.match('GET', '/api/items/1');
    expect(exact.kind === 'ok' && exact.method.spec.httpMethod).toBe('GET');
  });

  test('known path without the method is noMethod; unknown path is noRoute', () => {
    expect(router.match('PUT', '/api/items/1').kind).toBe('noMethod');
    const small = new Router([{ path: '/only', methods: [m('GET')] }]);
    expect(small.match('GET', '/other').kind).toBe('noRoute');
    expect(small.match('GET', '/only/extra').kind).toBe('noRoute');
    expect(small.match('GET', '/only/').kind).toBe('ok');
  });

  test('root resource', () => {
    expect(resourceOf('GET', '/')).toBe('/');
  });

  test('throttle keys name resource path and verb', () => {
    const r = router.match('DELETE', '/api/items/9');
    expect(r.kind === 'ok' && r.method.throttleKey).toBe('/api/items/{id}/DELETE');
  });

  test('invalid route tables are rejected', () => {
    expect(() => new Router([{ path: '/a/{x}', methods: [] }, { path: '/a/{y}/b', methods: [] }])).toThrow(RouteConfigError);
    expect(() => new Router([{ path: '/a/{p+}/b', methods: [] }])).toThrow(RouteConfigError);
    expect(() => new Router([{ path: 'nope', methods: [] }])).toThrow(RouteConfigError);
  });

  test('splitPath', () => {
    expect(splitPath('/')).toEqual([]);
    expect(splitPath('/a/b')).toEqual(['a', 'b']);
    expect(splitPath('/a/b/')).toEqual(['a', 'b']);
    expect(splitPath('/a//b')).toEqual(['a', '', 'b']);
  });
});
