/**
 * Wires the catalog's adapters from configuration. Each function builds only what it uses
 * (the commands never open Redis or OpenSearch), once per execution environment: a handler
 * module calls its factory at load, so a missing variable fails the cold start.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readOpenSearchSettings, readOutboxTable, readRedisSettings } from '../shared/env';
import { logger, tracer } from '../shared/powertools';
import { DynamoDbProductRepository } from './adapters/dynamodb/product-repository';
import { createOpenSearchClient } from './adapters/opensearch/client';
import { OpenSearchProductIndexWriter } from './adapters/opensearch/product-index-writer';
import { OpenSearchProductSearch } from './adapters/opensearch/product-search';
import { PowertoolsQueryMetrics } from './adapters/powertools-metrics';
import { createRedisClient } from './adapters/redis/client';
import { RedisProductCache } from './adapters/redis/product-cache';
import { readProductsIndex, readProductsTable } from './env';
import type { QueryDeps } from './use-cases/queries';
import type { ProjectionDeps } from './use-cases/projection';

function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

const dynamoDb = once(() => tracer.captureAWSv3Client(new DynamoDBClient({})));

/** The products table with its outbox (commands, signals). */
export const productRepository = once(() => new DynamoDbProductRepository(readProductsTable(), readOutboxTable(), dynamoDb()));
/** The products table for reading only (queries). */
const productReader = once(() => new DynamoDbProductRepository(readProductsTable(), undefined, dynamoDb()));

const indexName = once(readProductsIndex);
const openSearch = once(() => createOpenSearchClient(readOpenSearchSettings()));

let lastRedisErrorLog = 0;
const redis = once(() =>
  createRedisClient(readRedisSettings(), (err) => {
    if (Date.now() - lastRedisErrorLog > 10_000) {
      lastRedisErrorLog = Date.now();
      logger.warn('redis connection trouble', { error: err });
    }
  }),
);

export const productCache = once(
  () => new RedisProductCache(redis(), {}, (operation, err) => logger.warn('cache unavailable; answering without it', { operation, error: err as Error })),
);

export const queryDependencies = once(
  (): QueryDeps => ({
    search: new OpenSearchProductSearch(openSearch(), indexName()),
    cache: productCache(),
    products: productReader(),
    metrics: new PowertoolsQueryMetrics(),
  }),
);

export const projectionDependencies = once(
  (): ProjectionDeps => ({
    index: new OpenSearchProductIndexWriter(openSearch(), indexName()),
    cache: productCache(),
  }),
);
