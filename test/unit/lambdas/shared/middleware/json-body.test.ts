import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { AppError } from '../../../../../lambdas/shared/errors';
import { DEFAULT_MAX_BODY_BYTES, jsonBody, type JsonBodyEvent, type JsonBodyOptions } from '../../../../../lambdas/shared/middleware/json-body';
import { apiEvent, lambdaContext } from '../../../../support/lambda';

/** Runs the middleware on an event; resolves the parsed body the handler saw, or rejects with the middleware's error. */
async function parse(event: Partial<APIGatewayProxyEvent>, options?: JsonBodyOptions): Promise<unknown> {
  let seen: unknown = 'handler not reached';
  const fn = middy<JsonBodyEvent, APIGatewayProxyResult>(async (e: JsonBodyEvent) => {
    seen = e.parsedBody;
    return { statusCode: 204, body: '' };
  }).use(jsonBody(options));
  await fn(apiEvent(event), lambdaContext());
  return seen;
}

async function refusal(event: Partial<APIGatewayProxyEvent>, options?: JsonBodyOptions): Promise<AppError> {
  try {
    await parse(event, options);
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected the body to be refused');
}

describe('JSON body middleware', () => {
  it('parses a JSON body for the handler, with or without a charset or a +json type', async () => {
    expect(await parse({ body: '{"quantity":7,"reason":"été"}', headers: { 'Content-Type': 'application/json; charset=utf-8' } })).toEqual({ quantity: 7, reason: 'été' });
    expect(await parse({ body: '[1,2]', headers: { 'content-type': 'application/vnd.api+json' } })).toEqual([1, 2]);
    expect(await parse({ body: '"text"', headers: {} })).toBe('text');
  });

  it('decodes a base64-encoded body first', async () => {
    expect(await parse({ body: Buffer.from('{"a":1}').toString('base64'), isBase64Encoded: true, headers: { 'content-type': 'application/json' } })).toEqual({ a: 1 });
  });

  it('leaves no body as no body (a route that needs one says so)', async () => {
    expect(await parse({ body: null })).toBeUndefined();
    expect(await parse({ body: '', headers: { 'content-type': 'text/plain' } })).toBeUndefined();
  });

  it('answers 413 for a body over the limit, counted in UTF-8 bytes', async () => {
    const err = await refusal({ body: JSON.stringify({ s: 'é'.repeat(10) }), headers: { 'content-type': 'application/json' } }, { maxBytes: 20 });
    expect(err).toMatchObject({ statusCode: 413, code: 'payload_too_large', message: 'request body is larger than 20 bytes', details: [{ message: 'limit 20 bytes' }] });
    expect(await parse({ body: JSON.stringify({ s: 'é'.repeat(6) }) }, { maxBytes: 20 })).toEqual({ s: 'éééééé' });
    expect(DEFAULT_MAX_BODY_BYTES).toBe(256 * 1024);
    expect((await refusal({ body: `"${'x'.repeat(DEFAULT_MAX_BODY_BYTES)}"` })).statusCode).toBe(413);
  });

  it('answers 415 for a body that is not sent as JSON', async () => {
    const err = await refusal({ body: 'quantity=7', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(err).toMatchObject({ statusCode: 415, code: 'unsupported_media_type', message: 'content type application/x-www-form-urlencoded is not supported; send application/json' });
    expect((await refusal({ body: '{}', headers: { 'content-type': 'text/json' } })).statusCode).toBe(415);
  });

  it('answers 400 for malformed JSON, with the parser\'s reason in the details', async () => {
    const err = await refusal({ body: '{"quantity": 7,', headers: { 'content-type': 'application/json' } });
    expect(err).toMatchObject({ statusCode: 400, code: 'invalid_json', message: 'request body is not valid JSON' });
    expect(err.details).toHaveLength(1);
    expect(err.details[0]!.message).toMatch(/JSON/);
  });
});
