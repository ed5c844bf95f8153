/**
 * The middleware stack of DynamoDB-stream consumers (the outbox publisher, the stock-level
 * announcer): Powertools' logger, tracer and metrics around a handler of the batch. The handler
 * reports failed records itself (or throws to have the whole batch retried).
 */
import middy from '@middy/core';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { observability } from './middleware/observability';

export function streamHandler<R = void>(handler: (event: DynamoDBStreamEvent, context: Context) => Promise<R>) {
  return middy<DynamoDBStreamEvent, R>(handler).use(observability({ captureColdStartMetric: false }));
}
