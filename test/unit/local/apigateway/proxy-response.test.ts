// Mapping of Lambda proxy responses (payload format 1.0) to HTTP, including what counts as malformed.
import { mapProxyResponse } from '../../../../local/apigateway';

describe('mapProxyResponse', () => {
  test('status, headers, default content type', () => {
    const r = mapProxyResponse({ statusCode: 201, headers: { 'X-A': 'b', 'X-N': 5 }, body: 'hi' });
    expect(r).toEqual({ statusCode: 201, headers: { 'x-a': 'b', 'x-n': '5', 'content-type': 'application/json' }, body: 'hi' });
  });

  test('multiValueHeaders merge with headers; values in both appear once', () => {
    const r = mapProxyResponse({
      statusCode: 200,
      headers: { 'Set-Cookie': 'a=1', 'Content-Type': 'text/plain' },
      multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'], 'X-M': ['1', '2'] },
    });
    expect(r?.headers).toEqual({ 'set-cookie': ['a=1', 'b=2'], 'x-m': ['1', '2'], 'content-type': 'text/plain' });
    expect(r?.body).toBe('');
  });

  test('base64 bodies are decoded', () => {
    const r = mapProxyResponse({ statusCode: 200, body: Buffer.from([1, 2, 255]).toString('base64'), isBase64Encoded: true });
    expect(Buffer.isBuffer(r?.body)).toBe(true);
    expect([...(r?.body as Buffer)]).toEqual([1, 2, 255]);
  });

  test('reserved response headers are remapped', () => {
    const r = mapProxyResponse({ statusCode: 200, headers: { Connection: 'close', 'Content-Length': '5' }, body: 'x' });
    expect(r?.headers).toMatchObject({ 'x-amzn-Remapped-Connection': 'close', 'x-amzn-Remapped-Content-Length': '5' });
  });

  test.each([
    ['not an object', 'hello'],
    ['null', null],
    ['an array', [1]],
    ['no statusCode', { body: 'x' }],
    ['statusCode out of range', { statusCode: 700 }],
    ['body not a string', { statusCode: 200, body: { a: 1 } }],
    ['unexpected key', { statusCode: 200, body: 'x', extra: true }],
    ['header value an object', { statusCode: 200, headers: { a: { b: 1 } } }],
    ['multiValueHeaders not arrays', { statusCode: 200, multiValueHeaders: { a: 'b' } }],
  ])('malformed: %s', (_name, payload) => {
    expect(mapProxyResponse(payload)).toBeNull();
  });
});
