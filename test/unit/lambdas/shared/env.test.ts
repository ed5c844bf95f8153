import {
  currentTraceHeader,
  FAULT_INJECTION_ENV,
  KAFKA_ENV,
  LAMBDA_ENV,
  OPENSEARCH_ENV,
  POWERTOOLS_ENV,
  readFaultInjectionEnabled,
  readKafkaSettings,
  readOpenSearchSettings,
  readRedisSettings,
  REDIS_ENV,
} from '../../../../lambdas/shared/env';
import { withEnvironment } from '../../../support/environment';

/** Runs `read` in an environment where, of the contract's variables, exactly `vars` are set. */
const inEnvironment = <T>(vars: Record<string, string>, read: () => T): T =>
  withEnvironment(vars, read, [
    ...Object.values(KAFKA_ENV),
    ...Object.values(OPENSEARCH_ENV),
    ...Object.values(REDIS_ENV),
    ...Object.values(FAULT_INJECTION_ENV),
    ...Object.values(LAMBDA_ENV),
    POWERTOOLS_ENV.serviceName,
  ]);

describe('the shared environment contract', () => {
  it('keeps the names the local cloud overrides', () => {
    expect([KAFKA_ENV.brokers, KAFKA_ENV.auth, OPENSEARCH_ENV.tls, OPENSEARCH_ENV.auth, REDIS_ENV.tls, FAULT_INJECTION_ENV.enabled]).toEqual([
      'KAFKA_BROKERS',
      'KAFKA_AUTH',
      'OPENSEARCH_TLS',
      'OPENSEARCH_AUTH',
      'REDIS_TLS',
      'FAULT_INJECTION_ENABLED',
    ]);
  });

  it('Kafka in AWS: MSK by cluster ARN with IAM auth; the cluster ARN is required without brokers', () => {
    expect(inEnvironment({ KAFKA_CLUSTER_ARN: 'arn:aws:kafka:eu-west-1:1:cluster/c/u', AWS_REGION: 'eu-west-1', POWERTOOLS_SERVICE_NAME: 'inventory' }, readKafkaSettings)).toEqual({
      brokers: [],
      clusterArn: 'arn:aws:kafka:eu-west-1:1:cluster/c/u',
      auth: 'iam',
      region: 'eu-west-1',
      clientId: 'inventory',
    });
    expect(() => inEnvironment({}, readKafkaSettings)).toThrow('environment variable KAFKA_CLUSTER_ARN is required but not set');
  });

  it('Kafka locally: the brokers given, no auth', () => {
    expect(inEnvironment({ KAFKA_BROKERS: '127.0.0.1:9092', KAFKA_AUTH: 'none' }, readKafkaSettings)).toEqual({
      brokers: ['127.0.0.1:9092'],
      clusterArn: undefined,
      auth: 'none',
      region: 'us-east-1',
      clientId: 'ecommerce',
    });
    expect(() => inEnvironment({ KAFKA_BROKERS: '127.0.0.1:9092', KAFKA_AUTH: 'plain' }, readKafkaSettings)).toThrow('KAFKA_AUTH must be one of iam, none');
  });

  it('OpenSearch: TLS and SigV4 unless told otherwise; the endpoint is required', () => {
    expect(inEnvironment({ OPENSEARCH_ENDPOINT: 'search.example:443' }, readOpenSearchSettings)).toEqual({
      endpoint: 'search.example:443',
      tls: true,
      auth: 'sigv4',
      region: 'us-east-1',
      requestTimeoutMs: 3000,
    });
    expect(inEnvironment({ OPENSEARCH_ENDPOINT: '127.0.0.1:9200', OPENSEARCH_TLS: 'false', OPENSEARCH_AUTH: 'none', OPENSEARCH_TIMEOUT_MS: '800' }, readOpenSearchSettings)).toMatchObject({
      tls: false,
      auth: 'none',
      requestTimeoutMs: 800,
    });
    expect(() => inEnvironment({}, readOpenSearchSettings)).toThrow('OPENSEARCH_ENDPOINT is required');
    expect(() => inEnvironment({ OPENSEARCH_ENDPOINT: 'x', OPENSEARCH_TLS: 'no' }, readOpenSearchSettings)).toThrow('OPENSEARCH_TLS must be true or false');
  });

  it('Redis: TLS and cluster mode together by default, plain and single locally', () => {
    expect(inEnvironment({ REDIS_HOST: 'cache.example', REDIS_PORT: '6380' }, readRedisSettings)).toEqual({
      host: 'cache.example',
      port: 6380,
      tls: true,
      cluster: true,
      connectTimeoutMs: 1000,
      commandTimeoutMs: 500,
    });
    expect(inEnvironment({ REDIS_HOST: '127.0.0.1', REDIS_TLS: 'false' }, readRedisSettings)).toMatchObject({ port: 6379, tls: false, cluster: false });
    expect(inEnvironment({ REDIS_HOST: '127.0.0.1', REDIS_TLS: 'false', REDIS_CLUSTER: 'true' }, readRedisSettings)).toMatchObject({ tls: false, cluster: true });
    expect(() => inEnvironment({ REDIS_HOST: 'h', REDIS_PORT: 'six' }, readRedisSettings)).toThrow('REDIS_PORT must be a number');
  });

  it('fault injection is off unless enabled', () => {
    expect(inEnvironment({}, readFaultInjectionEnabled)).toBe(false);
    expect(inEnvironment({ FAULT_INJECTION_ENABLED: 'true' }, readFaultInjectionEnabled)).toBe(true);
  });

  it('reads the trace header of the invocation at each call', () => {
    expect(inEnvironment({}, currentTraceHeader)).toBeUndefined();
    expect(inEnvironment({ _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1' }, currentTraceHeader)).toBe('Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1');
  });
});
