/**
 * Wires the Orders adapters from configuration. Each function builds only what it uses (the
 * saga starter never opens a table, the price projection never reaches Step Functions), once per
 * execution environment: a handler module calls its factory at load, so a missing variable fails
 * the cold start.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { readOutboxTable } from '../shared/env';
import { tracer } from '../shared/powertools';
import { DynamoDbOrderEventStore } from './adapters/dynamodb/event-store';
import { DynamoDbPriceStore } from './adapters/dynamodb/price-store';
import { StepFunctionsSagaExecutions } from './adapters/stepfunctions/saga-executions';
import { readOrderEventsTable, readOrderPricesTable, readOrdersTable, readSagaStateMachineArn } from './env';

function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

export const dynamoDb = once(() => tracer.captureAWSv3Client(new DynamoDBClient({})));

export const eventStore = once(
  () => new DynamoDbOrderEventStore({ orderEvents: readOrderEventsTable(), orders: readOrdersTable(), outbox: readOutboxTable() }, dynamoDb()),
);

export const priceStore = once(() => new DynamoDbPriceStore(readOrderPricesTable(), dynamoDb()));

export const sagaExecutions = once(() => new StepFunctionsSagaExecutions(readSagaStateMachineArn(), tracer.captureAWSv3Client(new SFNClient({}))));
