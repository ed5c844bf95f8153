/**
 * Consumers exactly-once in effect, on the real stores the local cloud runs (DynamoDB Local,
 * redis-server, the local OpenSearch engine), started here on ephemeral ports. An event can be redelivered past the consumers' deduplication (a crash between the
 * effect and the record of it lets the in-progress record expire), so the effects themselves
 * must not repeat:
 * - Inventory: a redelivered catalog.product.created restocks once (the restock and its
 *   announcement, whose id derives from the event, are one transaction);
 * - Catalog projection: a replayed event leaves the cache alone (no new query generation), but a
 *   replay after a crash between the index write and the invalidation still invalidates.
 */
import { CreateTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import Redis from 'ioredis';
import { DynamoDbStockRepository } from '../../../lambdas/inventory/adapters/dynamodb/stock-repository';
import { restockedEventId } from '../../../lambdas/inventory/domain/events';
import { stockFromCatalogEvent } from '../../../lambdas/inventory/use-cases/catalog-events';
import { OpenSearchProductIndexWriter } from '../../../lambdas/catalog/adapters/opensearch/product-index-writer';
import { RedisProductCache } from '../../../lambdas/catalog/adapters/redis/product-cache';
import { generationKey, invalidatedKey, productKey } from '../../../lambdas/catalog/domain/cache-keys';
import { planProjection } from '../../../lambdas/catalog/domain/projection';
import { projectCatalogEvent } from '../../../lambdas/catalog/use-cases/projection';
import { newEvent } from '../../../lambdas/shared/events/envelope';
import { productHistory } from '../../support/catalog';
import { uniqueId } from '../../support/local-cloud';
import { startEmulators, type Emulators } from './catalog-emulators';

let env: Emulators;
beforeAll(async () => {
  env = await startEmulators();
}, 60_000);
afterAll(async () => {
  await env.stop();
});

describe('Inventory: a redelivered catalog.product.created', () => {
  it('restocks once, however often and however concurrently it is delivered again', async () => {
    const client = env.ddb;
    {
      // the tables as the template declares them
      const keys: Record<string, Array<[string, 'HASH' | 'RANGE']>> = {
        StockTable: [['product_id', 'HASH']],
        ReservationsTable: [['reservation_id', 'HASH']],
        OutboxTable: [['aggregate_id', 'HASH'], ['event_id', 'RANGE']],
      };
      for (const [name, key] of Object.entries(keys)) {
        await client.send(
          new CreateTableCommand({
            TableName: name,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: key.map(([a]) => ({ AttributeName: a, AttributeType: 'S' })),
            KeySchema: key.map(([a, t]) => ({ AttributeName: a, KeyType: t })),
          }),
        );
      }
      const table = (name: string) => name;
      const repo = new DynamoDbStockRepository(table('StockTable'), table('ReservationsTable'), client, table('OutboxTable'));
      const productId = uniqueId('ONCE');
      const created = newEvent('catalog', 'catalog.product.created', productId, { product_id: productId, name: 'Kettle', stock: 7 });

      expect(await stockFromCatalogEvent(repo, created)).toEqual({ outcome: 'restocked', productId, quantity: 7, available: 7 });
      // the redelivery after a crash, then three at once
      expect(await stockFromCatalogEvent(repo, created)).toEqual({ outcome: 'duplicate', productId });
      const again = await Promise.all([1, 2, 3].map(() => stockFromCatalogEvent(repo, created)));
      expect(again).toEqual([1, 2, 3].map(() => ({ outcome: 'duplicate', productId })));

      expect(await repo.get(productId)).toMatchObject({ available: 7, reserved: 0, version: 1 });
      const announced = await client.send(
        new GetItemCommand({ TableName: table('OutboxTable'), Key: { aggregate_id: { S: productId }, event_id: { S: restockedEventId(created.id) } } }),
      );
      expect(announced.Item?.type?.S).toBe('inventory.stock.restocked');
    }
  });
});

describe('Catalog projection: a replayed event and the cache', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis({ host: env.redis.host, port: env.redis.port, lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
  });
  afterAll(() => redis.disconnect());

  const deps = () => {
    const { writer } = env.adapters(uniqueId('once').toLowerCase());
    return { index: writer as OpenSearchProductIndexWriter, cache: new RedisProductCache(redis) };
  };
  const generation = async () => Number((await redis.get(generationKey())) ?? 0);

  it('an event applied before, replayed (a move to another category, then a deletion), does not invalidate again', async () => {
    await redis.flushdb();
    const [created, repriced, moved, deleted] = await productHistory();
    const d = deps();
    for (const e of [created!, repriced!, moved!]) expect((await projectCatalogEvent(d, e)).outcome).toBe('applied');
    expect(await generation()).toBe(3);

    const replayMove = await projectCatalogEvent(d, moved!);
    expect(replayMove.invalidated).not.toBe(false);
    expect(await generation()).toBe(3);

    expect(await projectCatalogEvent(d, deleted!)).toEqual({ outcome: 'applied', invalidated: true });
    expect(await generation()).toBe(4);
    await projectCatalogEvent(d, deleted!);
    await projectCatalogEvent(d, repriced!); // an older one, too
    expect(await generation()).toBe(4);
    expect(await redis.get(productKey('P1'))).toBe('4|');
    expect(await redis.get(invalidatedKey('P1'))).toBe('4');
  });

  it('a replay after a crash between the index write and the invalidation still invalidates, once', async () => {
    await redis.flushdb();
    const [created, repriced] = await productHistory();
    const d = deps();
    await projectCatalogEvent(d, created!);
    expect(await generation()).toBe(1);
    // the crash: the index took revision 2, the cache was never told
    for (const action of planProjection(repriced!)!.actions) await d.index.apply(action);

    expect(await projectCatalogEvent(d, repriced!)).toEqual({ outcome: 'stale', invalidated: true });
    expect(await generation()).toBe(2);
    expect(await redis.get(productKey('P1'))).toBe('2|');
    expect(await projectCatalogEvent(d, repriced!)).toEqual({ outcome: 'stale' });
    expect(await generation()).toBe(2);
  });
});
