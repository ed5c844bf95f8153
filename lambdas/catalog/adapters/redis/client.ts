/**
 * The Redis client of the catalog's functions, from its settings (lambdas/shared/env.ts). In AWS
 * the cache is ElastiCache Serverless: TLS always, cluster mode only; locally it is a plain
 * redis-server (REDIS_TLS=false). REDIS_CLUSTER defaults to REDIS_TLS, since those two cases are
 * the two there are; set it to override.
 *
 * Timeouts are short and retries few: the cache is an optimisation, and a request must not wait
 * long on it. The connection is opened at module load and kept warm between invocations.
 */
import { traceRedis } from '../../../shared/tracing';
import { Cluster, Redis } from 'ioredis';
import type { RedisSettings } from '../../../shared/env';

export type RedisClient = Redis | Cluster;

export function createRedisClient(s: RedisSettings, onError: (err: Error) => void = () => {}): RedisClient {
  const options = {
    connectTimeout: s.connectTimeoutMs,
    commandTimeout: s.commandTimeoutMs,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    retryStrategy: (times: number) => Math.min(times * 200, 2_000),
    ...(s.tls ? { tls: {} } : {}),
  };
  const client: RedisClient = s.cluster
    ? new Cluster([{ host: s.host, port: s.port }], {
        // ElastiCache's TLS certificates name the endpoint, not the node IPs it resolves to.
        dnsLookup: (address, callback) => callback(null, address),
        redisOptions: options,
        slotsRefreshTimeout: 2_000,
        clusterRetryStrategy: (times: number) => Math.min(times * 200, 2_000),
      })
    : traceRedis(new Redis({ host: s.host, port: s.port, ...options })); // a subsegment per command (../../../shared/tracing.ts)
  // Without a listener an 'error' event would be thrown; connection trouble surfaces as command failures.
  client.on('error', onError);
  return client;
}
