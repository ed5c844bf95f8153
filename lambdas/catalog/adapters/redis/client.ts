/**
 * The Redis client of the catalog's functions, from configuration. In AWS the cache is
 * ElastiCache Serverless: TLS always, cluster mode only; locally it is a plain redis-server
 * (REDIS_TLS=false). REDIS_CLUSTER defaults to REDIS_TLS, since those two cases are the two
 * there are; set it to override.
 *
 * Timeouts are short and retries few: the cache is an optimisation, and a request must not wait
 * long on it. The connection is opened at module load and kept warm between invocations.
 */
import { Cluster, Redis } from 'ioredis';
import { optionalEnv, requiredEnv } from '../../../shared/config';

export interface RedisSettings {
  host: string;
  port: number;
  tls: boolean;
  cluster: boolean;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

export type RedisClient = Redis | Cluster;

export function redisSettingsFromEnv(): RedisSettings {
  const tls = optionalEnv('REDIS_TLS', 'true') !== 'false';
  return {
    host: requiredEnv('REDIS_HOST'),
    port: Number(optionalEnv('REDIS_PORT', '6379')),
    tls,
    cluster: optionalEnv('REDIS_CLUSTER', String(tls)) !== 'false',
    connectTimeoutMs: Number(optionalEnv('REDIS_CONNECT_TIMEOUT_MS', '1000')),
    commandTimeoutMs: Number(optionalEnv('REDIS_COMMAND_TIMEOUT_MS', '500')),
  };
}

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
    : new Redis({ host: s.host, port: s.port, ...options });
  // Without a listener an 'error' event would be thrown; connection trouble surfaces as command failures.
  client.on('error', onError);
  return client;
}
