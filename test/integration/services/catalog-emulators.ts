/**
 * The real emulators the catalog's adapter tests run against: the local OpenSearch engine,
 * redis-server and DynamoDB Local, each on an ephemeral port (temporary data folders, DynamoDB
 * in memory), and the catalog's adapters wired to them as the Lambda functions wire them.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DynamoDbProductRepository } from '../../../lambdas/catalog/adapters/dynamodb/product-repository';
import { createOpenSearchClient } from '../../../lambdas/catalog/adapters/opensearch/client';
import { OpenSearchProductIndexWriter } from '../../../lambdas/catalog/adapters/opensearch/product-index-writer';
import { OpenSearchProductSearch } from '../../../lambdas/catalog/adapters/opensearch/product-search';
import { createRedisClient, type RedisClient } from '../../../lambdas/catalog/adapters/redis/client';
import { RedisProductCache } from '../../../lambdas/catalog/adapters/redis/product-cache';
import type { QueryKind, QueryMetrics } from '../../../lambdas/catalog/domain/ports';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../../local/dynamodb';
import { createOpenSearchServer, type OpenSearchServer } from '../../../local/opensearch';
import { startRedis, type RedisServer } from '../../../local/redis';

/** Counts what the queries report. */
export class RecordingMetrics implements QueryMetrics {
  hits: string[] = [];
  misses: string[] = [];
  latencies = 0;
  cacheHit(kind: QueryKind | 'product') {
    this.hits.push(kind);
  }
  cacheMiss(kind: QueryKind | 'product') {
    this.misses.push(kind);
  }
  searchLatency() {
    this.latencies++;
  }
  reset() {
    this.hits = [];
    this.misses = [];
    this.latencies = 0;
  }
}

export interface Emulators {
  opensearch: OpenSearchServer;
  redis: RedisServer;
  dynamodb: DynamoDbLocal;
  ddb: DynamoDBClient;
  redisClients: RedisClient[];
  tables: { products: string; outbox: string };
  dataDir: string;
  /** adapters over a fresh index name, so tests do not see each other's products */
  adapters(index: string): {
    repo: DynamoDbProductRepository;
    writer: OpenSearchProductIndexWriter;
    search: OpenSearchProductSearch;
    cache: RedisProductCache;
    metrics: RecordingMetrics;
  };
  stop(): Promise<void>;
}

export async function startEmulators(): Promise<Emulators> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-it-'));
  const [opensearch, redis, dynamodb] = await Promise.all([
    createOpenSearchServer({ port: 0, dataDir: path.join(dataDir, 'opensearch') }),
    startRedis({ port: 0 }),
    startDynamoDbLocal({ port: 0 }),
  ]);
  const ddb = new DynamoDBClient({ endpoint: dynamodb.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const tables = { products: 'catalog-it-products', outbox: 'catalog-it-outbox' };
  for (const [name, key] of [
    [tables.products, 'product_id'],
    [tables.outbox, 'event_id'],
  ] as const) {
    await ddb.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
      }),
    );
  }
  const os_ = createOpenSearchClient({ endpoint: `127.0.0.1:${opensearch.port}`, tls: false, auth: 'none', region: 'us-east-1', requestTimeoutMs: 5_000 });
  const redisClients: RedisClient[] = [];
  const redisClient = () => {
    const c = createRedisClient({ host: redis.host, port: redis.port, tls: false, cluster: false, connectTimeoutMs: 1_000, commandTimeoutMs: 1_000 });
    redisClients.push(c);
    return c;
  };
  return {
    opensearch,
    redis,
    dynamodb,
    ddb,
    redisClients,
    tables,
    dataDir,
    adapters(index: string) {
      return {
        repo: new DynamoDbProductRepository(tables.products, tables.outbox, ddb),
        writer: new OpenSearchProductIndexWriter(os_, index),
        search: new OpenSearchProductSearch(os_, index),
        cache: new RedisProductCache(redisClient()),
        metrics: new RecordingMetrics(),
      };
    },
    async stop() {
      for (const c of redisClients) c.disconnect();
      ddb.destroy();
      await os_.close();
      await Promise.all([opensearch.close(), redis.stop(), dynamodb.stop()]);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
