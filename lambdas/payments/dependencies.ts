/**
 * Wires the Payments adapters from configuration, once per execution environment: each handler
 * module calls the factories it needs when it loads, so a missing variable fails the cold start
 * (the task function has no idempotency table, the API function reads one).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { readRedisSettings } from '../shared/env';
import { logger, metrics, MetricUnit, tracer } from '../shared/powertools';
import { idempotentRoutes } from './adapters/dynamodb/idempotency';
import { DynamoDbPaymentRepository } from './adapters/dynamodb/payment-repository';
import { HttpPaymentProvider } from './adapters/http/payment-provider';
import { PowertoolsPaymentMetrics } from './adapters/powertools-metrics';
import { RedisCircuitBreaker } from './adapters/redis/circuit-breaker';
import { createRedisClient } from './adapters/redis/client';
import { PaymentProviderError } from './domain/errors';
import { readCircuitConfig, readIdempotencyTable, readPaymentsConfig, readProviderConfig } from './env';
import { systemTime, type PaymentDeps } from './use-cases/deps';

function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

/** The provider's API key stays cached this long (a rotation is also picked up at once when the provider refuses the old key). */
const SECRET_MAX_AGE_SECONDS = 300;
/** Writes around a provider call, on top of its timeout, before another caller may take an attempt over. */
const LEASE_MARGIN_MS = 5_000;

const dynamoDb = once(() => tracer.captureAWSv3Client(new DynamoDBClient({})));
const config = once(readPaymentsConfig);
const providerConfig = once(readProviderConfig);
const circuitConfig = once(readCircuitConfig);
const paymentMetrics = new PowertoolsPaymentMetrics();

export const paymentRepository = once(() => new DynamoDbPaymentRepository(config().paymentsTable, config().outboxTable, dynamoDb()));

const provider = once(() => {
  const { url, secretId, timeoutMs } = providerConfig();
  return new HttpPaymentProvider({
    baseUrl: url,
    timeoutMs,
    apiKey: async (fresh) => {
      const value = await getSecret(secretId, { maxAge: SECRET_MAX_AGE_SECONDS, forceFetch: fresh });
      if (typeof value !== 'string' || value === '') throw new PaymentProviderError('unauthorized', 'the payment provider API key secret holds no string');
      return value;
    },
  });
});

let lastRedisErrorLog = 0;
const redis = once(() =>
  createRedisClient(readRedisSettings(), (err) => {
    if (Date.now() - lastRedisErrorLog > 10_000) {
      lastRedisErrorLog = Date.now();
      logger.warn('redis connection trouble', { error: err });
    }
  }),
);

export const circuitBreaker = once(() => {
  const c = circuitConfig();
  return new RedisCircuitBreaker({
    redis: redis(),
    name: c.name,
    settings: { failureThreshold: c.failureThreshold, openMs: c.openSeconds * 1000, trialTimeoutMs: providerConfig().timeoutMs + LEASE_MARGIN_MS },
    onState: (state) => paymentMetrics.circuitState(state),
    onTransition: (transition, state) => logger.warn(`circuit breaker ${transition}`, { circuit: c.name, state }),
    onUnavailable: (operation, err) => {
      logger.warn('circuit breaker store unavailable: the call goes ahead unguarded (fail open)', { operation, error: err as Error });
      metrics.addMetric('CircuitBreakerUnavailable', MetricUnit.Count, 1);
    },
  });
});

export const paymentDeps = once(
  (): PaymentDeps => ({
    payments: paymentRepository(),
    provider: provider(),
    breaker: circuitBreaker(),
    metrics: paymentMetrics,
    ...systemTime,
    leaseMs: providerConfig().timeoutMs + LEASE_MARGIN_MS,
  }),
);

/** Idempotency-Key for the API's POST routes (the API function only). */
export const idempotent = once(() => idempotentRoutes({ tableName: readIdempotencyTable(), client: dynamoDb() }));
