import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { AppError, ValidationError } from '../../../../../lambdas/shared/errors';
import { correlationIds } from '../../../../../lambdas/shared/middleware/correlation-ids';
import { errorHandler } from '../../../../../lambdas/shared/middleware/error-handler';
import { apiEvent, capturingLogs, lambdaContext } from '../../../../support/lambda';

/** A function that fails with `err`, behind the error handler (and correlation ids, as in the HTTP stack). */
function failingWith(err: unknown) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>(async () => {
    throw err;
  })
    .use(errorHandler())
    .use(correlationIds());
}

async function answer(err: unknown) {
  const { result, logs } = await capturingLogs(() => failingWith(err)(apiEvent({ headers: { 'X-Correlation-Id': 'corr-7' } }), lambdaContext()));
  return { status: result.statusCode, headers: result.headers, body: JSON.parse(result.body) as { error: { code: string; message: string; details: unknown[] } }, text: result.body, logs };
}

describe('error handler', () => {
  it('answers an unexpected error with a 500 that says nothing of it, and logs the real error', async () => {
    const secret = new Error('connect ECONNREFUSED 10.0.3.7:5432 user=admin');
    const { status, headers, body, text, logs } = await answer(secret);
    expect(status).toBe(500);
    expect(headers).toEqual({ 'content-type': 'application/json', 'x-correlation-id': 'corr-7' });
    expect(body).toEqual({ error: { code: 'internal_error', message: 'internal error', details: [] } });
    expect(text).not.toMatch(/ECONNREFUSED|10\.0\.3\.7|admin|stack|at /);

    const failures = logs.filter((l) => l.message === 'request failed');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ level: 'ERROR', correlation_id: 'corr-7', error: { name: 'Error', message: secret.message } });
    expect((failures[0]!.error as { stack: string }).stack).toContain('error-handler.test.ts');
  });

  it('masks an AppError that is not to be exposed: its status, the generic message, no details', async () => {
    const hidden = new AppError(503, 'ledger_down', 'ledger at 10.0.9.9 refused the write', {
      details: [{ field: 'ledger', message: 'password expired for svc_ledger' }],
      expose: false,
    });
    const { status, body, text, logs } = await answer(hidden);
    expect(status).toBe(503);
    expect(body).toEqual({ error: { code: 'ledger_down', message: 'internal error', details: [] } });
    expect(text).not.toMatch(/10\.0\.9\.9|password|svc_ledger/);
    expect(logs.find((l) => l.message === 'request failed')).toMatchObject({ level: 'ERROR', error: { name: 'AppError', message: 'ledger at 10.0.9.9 refused the write' } });
  });

  it('an AppError of 500 or more is unexposed by default', async () => {
    const { status, body } = await answer(new AppError(500, 'boom', 'the disk at /var/lib/x is full'));
    expect(status).toBe(500);
    expect(body.error).toEqual({ code: 'boom', message: 'internal error', details: [] });
  });

  it('keeps the message and details of a 4xx, and logs it as a rejection, not a failure', async () => {
    const invalid = new ValidationError('request body is invalid', [{ field: 'price', message: 'price must not be negative' }]);
    const { status, headers, body, logs } = await answer(invalid);
    expect(status).toBe(422);
    expect(headers).toEqual({ 'content-type': 'application/json', 'x-correlation-id': 'corr-7' });
    expect(body).toEqual({ error: { code: 'validation_failed', message: 'request body is invalid', details: [{ field: 'price', message: 'price must not be negative' }] } });
    expect(logs.filter((l) => l.level === 'ERROR')).toEqual([]);
    expect(logs.find((l) => l.message === 'request rejected')).toMatchObject({ level: 'INFO', status: 422, code: 'validation_failed', reason: 'request body is invalid' });
  });

  it('keeps the message of a 5xx that is meant to be shown (a dependency to retry later)', async () => {
    const { status, body } = await answer(new AppError(503, 'service_unavailable', 'search is unavailable right now; retry shortly', { expose: true }));
    expect(status).toBe(503);
    expect(body.error).toEqual({ code: 'service_unavailable', message: 'search is unavailable right now; retry shortly', details: [] });
  });
});
