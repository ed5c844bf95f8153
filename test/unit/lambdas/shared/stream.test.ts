import type { DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../../../../lambdas/shared/powertools';
import { streamHandler } from '../../../../lambdas/shared/stream';
import { capturingLogs, lambdaContext } from '../../../support/lambda';

describe('streamHandler', () => {
  it('hands the batch to the handler, answers what it answers, and logs with the Lambda context', async () => {
    const handler = streamHandler(async (event: DynamoDBStreamEvent) => {
      logger.info('batch', { records: event.Records.length });
      return { batchItemFailures: [{ itemIdentifier: '42' }] };
    });
    const batch: DynamoDBStreamEvent = { Records: [{ eventName: 'INSERT', dynamodb: { SequenceNumber: '42' } }] };
    const { result, logs } = await capturingLogs(() => handler(batch, lambdaContext()));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '42' }] });
    expect(logs.find((l) => l.message === 'batch')).toMatchObject({ records: 1, function_name: 'unit-test', function_request_id: 'lambda-request-1' });
  });

  it('lets a failure of the batch through, so the stream retries it', async () => {
    const handler = streamHandler(async () => {
      throw new Error('kafka down');
    });
    await expect(capturingLogs(() => handler({ Records: [] }, lambdaContext()))).rejects.toThrow('kafka down');
  });
});
