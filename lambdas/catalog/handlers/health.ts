/**
 * GET /api/catalog/health (no API key): the write model, the index and the cache answer. The
 * service is unavailable (503) without DynamoDB or OpenSearch, degraded (200) without the cache.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { json } from '../../shared/http';
import { logger } from '../../shared/powertools';
import { productCache, queryDependencies } from '../dependencies';

const deps = queryDependencies();
const CHECK_TIMEOUT_MS = 1_000;

async function check(name: string, run: () => Promise<unknown>): Promise<{ status: 'ok' | 'unavailable'; latency_ms?: number }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([run(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${name} did not answer in ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)))]);
    return { status: 'ok', latency_ms: Date.now() - started };
  } catch (err) {
    logger.warn('health check failed', { dependency: name, error: err as Error });
    return { status: 'unavailable' };
  } finally {
    clearTimeout(timer);
  }
}

export async function healthRoute(): Promise<APIGatewayProxyResult> {
  const [dynamodb, opensearch, redis] = await Promise.all([
    check('dynamodb', () => deps.products.get('__health__')),
    check('opensearch', () => deps.search.ping()),
    check('redis', () => productCache().ping()),
  ]);
  const essential = dynamodb.status === 'ok' && opensearch.status === 'ok';
  const status = !essential ? 'unavailable' : redis.status === 'ok' ? 'ok' : 'degraded';
  return json(essential ? 200 : 503, { service: 'catalog', status, time: new Date().toISOString(), checks: { dynamodb, opensearch, redis } });
}
