/**
 * The Redis client of the Payments functions, for the circuit breaker. In AWS: ElastiCache
 * Serverless (TLS, cluster mode); locally a plain redis-server (REDIS_TLS=false). Short timeouts
 * and one retry: a breaker that waits on its store would slow every payment, and when the store
 * does not answer the breaker lets calls through (see circuit-breaker.ts).
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
        // ElastiCache's TLS certificates name the endpoint, not the node addresses it resolves to.
        dnsLookup: (address, callback) => callback(null, address),
        redisOptions: options,
        slotsRefreshTimeout: 2_000,
        clusterRetryStrategy: (times: number) => Math.min(times * 200, 2_000),
      })
    : traceRedis(new Redis({ host: s.host, port: s.port, ...options })); // a subsegment per command (../../../shared/tracing.ts)
  client.on('error', onError); // connection trouble surfaces as failed commands
  return client;
}
