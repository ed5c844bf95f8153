/**
 * The environment contract that every function shares: the names of the variables, and readers
 * that turn them into typed settings.
 *
 * - The names are written here once. The CDK constructs in lib/ import them to set each
 *   function's environment, and the local cloud imports them for its overrides (the transport
 *   settings of its stand-ins: KAFKA_BROKERS, KAFKA_AUTH=none, OPENSEARCH_TLS=false,
 *   OPENSEARCH_AUTH=none, REDIS_TLS=false, FAULT_INJECTION_ENABLED=true).
 * - Importing this module reads nothing (the CDK app imports it at synth, where none of these is
 *   set). The readers are called once per execution environment, at module load of a function's
 *   dependencies, so a missing or malformed value fails the cold start.
 *
 * A service's own variables (its tables, ...) are in `lambdas/<service>/env.ts`.
 */
import { booleanEnv, enumEnv, listEnv, numberEnv, optionalEnv, requiredEnv } from './config';

/** Set by Lambda itself. */
export const LAMBDA_ENV = {
  region: 'AWS_REGION',
  /** the X-Ray trace header of the current invocation (changes with every invocation) */
  traceHeader: '_X_AMZN_TRACE_ID',
  /** the X-Ray daemon's address, `host:port` or `udp:host:port tcp:host:port` */
  xrayDaemonAddress: 'AWS_XRAY_DAEMON_ADDRESS',
} as const;

/** Powertools' own settings, set per function by the CDK construct. */
export const POWERTOOLS_ENV = {
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
} as const;

/** The event backbone's tables. */
export const EVENTS_ENV = {
  /** the transactional outbox: producers write their events here with the change */
  outboxTable: 'OUTBOX_TABLE',
  /** the event ids each consumer has handled (deduplication) */
  processedEventsTable: 'PROCESSED_EVENTS_TABLE',
} as const;

/** Kafka: MSK Serverless with IAM auth in AWS, the local broker without auth. */
export const KAFKA_ENV = {
  /** comma-separated host:port list; when set, no MSK lookup (the local cloud sets it) */
  brokers: 'KAFKA_BROKERS',
  /** `iam` (default) or `none` */
  auth: 'KAFKA_AUTH',
  /** the MSK cluster whose bootstrap brokers are looked up when KAFKA_BROKERS is not set */
  clusterArn: 'KAFKA_CLUSTER_ARN',
} as const;
export const KAFKA_AUTH_MODES = ['iam', 'none'] as const;
export type KafkaAuth = (typeof KAFKA_AUTH_MODES)[number];

/** OpenSearch: Amazon OpenSearch Service (TLS, SigV4) in AWS, the local engine in plain HTTP. */
export const OPENSEARCH_ENV = {
  /** host[:port], or a full URL */
  endpoint: 'OPENSEARCH_ENDPOINT',
  /** `true` (default) or `false` */
  tls: 'OPENSEARCH_TLS',
  /** `sigv4` (default) or `none` */
  auth: 'OPENSEARCH_AUTH',
  /** per request, in ms (default 3000) */
  timeoutMs: 'OPENSEARCH_TIMEOUT_MS',
} as const;
export const OPENSEARCH_AUTH_MODES = ['sigv4', 'none'] as const;
export type OpenSearchAuth = (typeof OPENSEARCH_AUTH_MODES)[number];

/** Redis: ElastiCache Serverless (TLS, cluster mode) in AWS, a plain redis-server locally. */
export const REDIS_ENV = {
  host: 'REDIS_HOST',
  /** default 6379 */
  port: 'REDIS_PORT',
  /** `true` (default) or `false` */
  tls: 'REDIS_TLS',
  /** cluster mode; defaults to the TLS setting, since those are the two cases there are */
  cluster: 'REDIS_CLUSTER',
  /** default 1000 */
  connectTimeoutMs: 'REDIS_CONNECT_TIMEOUT_MS',
  /** default 500 */
  commandTimeoutMs: 'REDIS_COMMAND_TIMEOUT_MS',
} as const;

/** Failure injection (see middleware/fault-injection.ts): `true` only where the local cloud asks for it. */
export const FAULT_INJECTION_ENV = { enabled: 'FAULT_INJECTION_ENABLED' } as const;

const DEFAULT_REGION = 'us-east-1';

export interface KafkaSettings {
  /** the bootstrap brokers when configured; empty means: look them up from MSK */
  brokers: string[];
  /** required when `brokers` is empty */
  clusterArn?: string;
  auth: KafkaAuth;
  region: string;
  clientId: string;
}

export function readKafkaSettings(): KafkaSettings {
  const brokers = listEnv(KAFKA_ENV.brokers);
  return {
    brokers,
    clusterArn: brokers.length ? optionalEnv(KAFKA_ENV.clusterArn) : requiredEnv(KAFKA_ENV.clusterArn),
    auth: enumEnv(KAFKA_ENV.auth, KAFKA_AUTH_MODES, 'iam'),
    region: optionalEnv(LAMBDA_ENV.region, DEFAULT_REGION),
    clientId: optionalEnv(POWERTOOLS_ENV.serviceName, 'ecommerce'),
  };
}

export interface OpenSearchSettings {
  /** host[:port], or a full URL */
  endpoint: string;
  tls: boolean;
  auth: OpenSearchAuth;
  region: string;
  /** per request; a read path answers 503 rather than hang */
  requestTimeoutMs: number;
}

export function readOpenSearchSettings(): OpenSearchSettings {
  return {
    endpoint: requiredEnv(OPENSEARCH_ENV.endpoint),
    tls: booleanEnv(OPENSEARCH_ENV.tls, true),
    auth: enumEnv(OPENSEARCH_ENV.auth, OPENSEARCH_AUTH_MODES, 'sigv4'),
    region: optionalEnv(LAMBDA_ENV.region, DEFAULT_REGION),
    requestTimeoutMs: numberEnv(OPENSEARCH_ENV.timeoutMs, 3000),
  };
}

export interface RedisSettings {
  host: string;
  port: number;
  tls: boolean;
  cluster: boolean;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

export function readRedisSettings(): RedisSettings {
  const tls = booleanEnv(REDIS_ENV.tls, true);
  return {
    host: requiredEnv(REDIS_ENV.host),
    port: numberEnv(REDIS_ENV.port, 6379),
    tls,
    cluster: booleanEnv(REDIS_ENV.cluster, tls),
    connectTimeoutMs: numberEnv(REDIS_ENV.connectTimeoutMs, 1000),
    commandTimeoutMs: numberEnv(REDIS_ENV.commandTimeoutMs, 500),
  };
}

export const readOutboxTable = (): string => requiredEnv(EVENTS_ENV.outboxTable);

export const readProcessedEventsTable = (): string => requiredEnv(EVENTS_ENV.processedEventsTable);

export const readFaultInjectionEnabled = (): boolean => booleanEnv(FAULT_INJECTION_ENV.enabled, false);

/** The trace header of the invocation running now: read at each call, as Lambda sets it per invocation. */
export const currentTraceHeader = (): string | undefined => optionalEnv(LAMBDA_ENV.traceHeader);
