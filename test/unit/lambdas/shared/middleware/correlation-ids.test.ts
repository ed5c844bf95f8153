import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { correlationIds, type CorrelationIdsOptions } from '../../../../../lambdas/shared/middleware/correlation-ids';
import { logger } from '../../../../../lambdas/shared/powertools';
import { apiEvent, capturingLogs, lambdaContext } from '../../../../support/lambda';

/** A function that logs one line, behind the middleware; resolves its response and what it logged. */
async function run(event: APIGatewayProxyEvent, options?: CorrelationIdsOptions) {
  const fn = middy<APIGatewayProxyEvent, APIGatewayProxyResult>(async () => {
    logger.info('handled');
    return { statusCode: 200, headers: { etag: '"1"' }, body: '{}' };
  }).use(correlationIds(options));
  const { result, logs } = await capturingLogs(() => fn(event, lambdaContext()));
  logger.resetKeys();
  return { headers: result.headers, line: logs.find((l) => l.message === 'handled')! };
}

describe('correlation ids', () => {
  it("keeps the client's id, whatever the header's case, in the logs and the response", async () => {
    const { headers, line } = await run(apiEvent({ headers: { 'X-Correlation-ID': 'client-42' } }));
    expect(headers).toEqual({ etag: '"1"', 'x-correlation-id': 'client-42' });
    expect(line.correlation_id).toBe('client-42');
  });

  it("takes API Gateway's request id when the client sends none, else the Lambda request id", async () => {
    expect((await run(apiEvent())).headers!['x-correlation-id']).toBe('api-request-1');
    const noGateway = apiEvent({ requestContext: undefined as unknown as APIGatewayProxyEvent['requestContext'] });
    const { headers, line } = await run(noGateway);
    expect(headers!['x-correlation-id']).toBe('lambda-request-1');
    expect(line.correlation_id).toBe('lambda-request-1');
  });

  it('reads and writes the header it is given, under the log key it is given', async () => {
    const { headers, line } = await run(apiEvent({ headers: { 'x-request-id': 'r-9' } }), { header: 'x-request-id', logKey: 'request_id' });
    expect(headers).toEqual({ etag: '"1"', 'x-request-id': 'r-9' });
    expect(line.request_id).toBe('r-9');
  });
});
