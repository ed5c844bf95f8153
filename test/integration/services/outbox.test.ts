/**
 * The transactional outbox on the local cloud: a state change and its event cannot be split.
 * The publisher is stopped between the write and the publish (its event source mapping
 * disabled), then restarted with a fault that kills it right after it published and before its
 * checkpoint, so the event reaches Kafka more than once; a deduplicating consumer (the
 * platform's Powertools-idempotency consumer core, on the real processed-events table) still
 * handles it exactly once.
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { PLATFORM_ENV } from '../../../lambdas/platform/env';
import { deduplicator } from '../../../lambdas/shared/events/dedup';
import type { EventEnvelope } from '../../../lambdas/shared/events/envelope';
import { awsClientConfig, call, endpoints, uniqueId } from '../../support/local-cloud';
import { until } from '../../support/poll';

describe('transactional outbox', () => {
  const lambda = new LambdaClient(awsClientConfig());
  const dynamo = new DynamoDBClient(awsClientConfig());
  let consumer: Consumer;

  afterAll(async () => {
    await consumer?.disconnect();
    lambda.destroy();
    dynamo.destroy();
  });

  it('delivers an event written with its state change exactly once to a deduplicating consumer, across a publisher stop and crash', async () => {
    const publisher = endpoints().functions.find((f) => f.includes('OutboxPublisher'))!;
    const { EventSourceMappings: [mapping] = [] } = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: publisher }));
    expect(mapping?.State).toBe('Enabled');

    // 1. the publisher is down
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: mapping!.UUID!, Enabled: false }));

    // 2. the state change and its event are written together
    const productId = uniqueId('OUTBOX');
    const restock = await call(`/api/inventory/${productId}/restock`, { body: { quantity: 7, reason: 'outbox test' } });
    expect(restock.status).toBe(200);

    // 3. a consumer of inventory-events sees every copy of this product's restock event, and the
    //    stock level the stock table's own stream announces for the same write
    const copies: EventEnvelope[] = [];
    const levels: EventEnvelope[] = [];
    const kafka = new Kafka({ clientId: 'outbox-test', brokers: [endpoints().services.kafka!], logLevel: logLevel.NOTHING });
    consumer = kafka.consumer({ groupId: uniqueId('outbox-test'), sessionTimeout: 10_000 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'inventory-events', fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const event = JSON.parse(message.value!.toString()) as EventEnvelope;
        if (event.subject !== productId) return;
        if (event.type === 'inventory.stock.restocked') copies.push(event);
        if (event.type === 'inventory.stock.changed') levels.push(event);
      },
    });
    // The consumer is live and the write is on the streams: the stock level of this very write
    // arrives through the other mapping (the stock table's, enabled). The restock event, whose
    // mapping is off, does not.
    await until('the stock level of the write to arrive', () => levels.length > 0, { timeoutMs: 30_000 });
    expect(copies).toHaveLength(0);

    // 4. the publisher comes back, but dies right after publishing, before its checkpoint
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: publisher }));
    const variables = { ...config.Environment!.Variables };
    await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: publisher, Environment: { Variables: { ...variables, [PLATFORM_ENV.outboxFaultAfterPublish]: 'crash' } } }),
    );
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: mapping!.UUID!, Enabled: true }));
    await until('the event to be published at least twice', () => copies.length >= 2, { timeoutMs: 30_000 });

    // 5. the publisher is healthy again: the batch completes and the checkpoint moves on
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: publisher, Environment: { Variables: variables } }));
    // a later event of the same product goes out after the last copy (one aggregate, one order):
    // once it is seen, the batch that held the copies is done and no copy can follow it
    expect((await call(`/api/inventory/${productId}/restock`, { body: { quantity: 1, reason: 'after' } })).status).toBe(200);
    const reasonOf = (c: EventEnvelope) => (c.data as { reason?: string }).reason;
    await until('the next restock of the product to be published', () => copies.some((c) => reasonOf(c) === 'after'), { timeoutMs: 30_000 });

    // every copy of the first restock is the same event, and nothing of it came after the next one
    const firstCopies = copies.filter((c) => reasonOf(c) === 'outbox test');
    const firstAfter = copies.findIndex((c) => reasonOf(c) === 'after');
    expect(firstCopies.length).toBeGreaterThanOrEqual(2);
    expect(copies.slice(firstAfter).filter((c) => reasonOf(c) === 'outbox test')).toEqual([]);
    expect(new Set(firstCopies.map((c) => c.id)).size).toBe(1);
    expect(firstCopies[0]).toMatchObject({ type: 'inventory.stock.restocked', source: 'inventory', subject: productId, data: { product_id: productId, quantity: 7 } });

    // 6. the deduplicating consumer handles it once
    const tables = (await dynamo.send(new ListTablesCommand({}))).TableNames ?? [];
    const handled: string[] = [];
    const dedup = deduplicator(async (event) => void handled.push(event.id), {
      consumerName: uniqueId('outbox-test-consumer'),
      tableName: tables.find((t) => t.includes('ProcessedEventsTable'))!,
      client: dynamo,
    });
    for (const [i, copy] of firstCopies.entries()) await dedup.handle(copy, { topic: 'inventory-events', partition: 0, offset: i });
    expect(handled).toEqual([firstCopies[0]!.id]);

    // and the state change is there, once (7, then 1 more)
    expect((await call(`/api/inventory/${productId}`)).body).toMatchObject({ available: 8, version: 2 });
  });
});
