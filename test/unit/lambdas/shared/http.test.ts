import type { APIGatewayProxyEvent } from 'aws-lambda';
import { z } from 'zod';
import { httpHandler, json, parseBody, parseParams, type HttpEvent } from '../../../../lambdas/shared/http';
import { apiEvent, capturingLogs, lambdaContext } from '../../../support/lambda';

const body = z.strictObject({ quantity: z.number().int().min(1) });
const path = z.object({ product_id: z.string().regex(/^P\d+$/) });

/** The one stack of API functions around a small route. */
const handler = httpHandler(async (event: HttpEvent) => {
  const { product_id } = parseParams(event.pathParameters, path, 'path');
  if (product_id === 'P500') throw new TypeError("Cannot read properties of undefined (reading 'Item')");
  const { quantity } = parseBody(event, body);
  return json(201, { product_id, quantity }, { location: `/things/${product_id}` });
});

async function call(event: Partial<APIGatewayProxyEvent>) {
  const { result, logs } = await capturingLogs(() => handler(apiEvent(event), lambdaContext()));
  return { status: result.statusCode, headers: result.headers, body: JSON.parse(result.body), logs };
}

describe('httpHandler', () => {
  const ok = { pathParameters: { product_id: 'P1' }, headers: { 'content-type': 'application/json', 'x-correlation-id': 'c-1' } };

  it("runs the route with the parsed body and answers its response with the request's correlation id", async () => {
    const res = await call({ ...ok, body: '{"quantity":3}' });
    expect(res.status).toBe(201);
    expect(res.headers).toEqual({ 'content-type': 'application/json', location: '/things/P1', 'x-correlation-id': 'c-1' });
    expect(res.body).toEqual({ product_id: 'P1', quantity: 3 });
  });

  it('answers bad input in the error shape: 400 for a parameter or a missing body, 422 for a schema, 415, 413', async () => {
    expect(await call({ ...ok, pathParameters: { product_id: 'nope' }, body: '{"quantity":3}' })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_parameter', message: 'invalid path parameter', details: [{ field: 'product_id' }] } },
    });
    expect(await call({ ...ok })).toMatchObject({ status: 400, body: { error: { code: 'missing_body', message: 'request body is required', details: [] } } });
    expect(await call({ ...ok, body: '{"quantity":0,"extra":1}' })).toMatchObject({
      status: 422,
      body: { error: { code: 'validation_failed', details: [{ field: 'quantity' }, { message: expect.stringMatching(/extra/) }] } },
    });
    expect((await call({ ...ok, body: '<q>3</q>', headers: { 'content-type': 'application/xml' } })).status).toBe(415);
    expect((await call({ ...ok, body: `{"quantity":1,"pad":"${'x'.repeat(300 * 1024)}"}` })).status).toBe(413);
  });

  it('answers an unexpected failure with a masked 500 that keeps the correlation id, and logs it with the Lambda context', async () => {
    const res = await call({ ...ok, pathParameters: { product_id: 'P500' }, body: '{"quantity":3}' });
    expect(res.status).toBe(500);
    expect(res.headers).toEqual({ 'content-type': 'application/json', 'x-correlation-id': 'c-1' });
    expect(res.body).toEqual({ error: { code: 'internal_error', message: 'internal error', details: [] } });
    const failure = res.logs.find((l) => l.message === 'request failed');
    expect(failure).toMatchObject({
      level: 'ERROR',
      correlation_id: 'c-1',
      function_name: 'unit-test',
      function_request_id: 'lambda-request-1',
      error: { name: 'TypeError', message: "Cannot read properties of undefined (reading 'Item')" },
    });
  });

  it("logs a rejection with the request's correlation id too", async () => {
    const rejected = await call({ ...ok, body: '{"quantity":0}' });
    expect(rejected.status).toBe(422);
    expect(rejected.logs.find((l) => l.message === 'request rejected')).toMatchObject({ level: 'INFO', correlation_id: 'c-1', status: 422, code: 'validation_failed' });
  });

  it('forgets the previous request: a later request without an id gets its own', async () => {
    await call({ ...ok, body: '{"quantity":3}' });
    const res = await call({ ...ok, headers: { 'content-type': 'application/json' }, body: '{"quantity":3}' });
    expect(res.headers!['x-correlation-id']).toBe('api-request-1');
  });
});
