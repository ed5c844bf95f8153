/**
 * The Payments functions' environment: the names of their variables (the CDK construct imports
 * them; the local cloud sets PAYMENT_PROVIDER_URL, and tests change the circuit settings with
 * UpdateFunctionConfiguration) and the readers the dependency module calls once, at load.
 * Importing this module reads nothing.
 */
import { numberEnv, optionalEnv, requiredEnv } from '../shared/config';
import { readOutboxTable } from '../shared/env';
import { ConfigurationError } from '../shared/errors';

export const PAYMENTS_ENV = {
  paymentsTable: 'PAYMENTS_TABLE',
  /** the API function's Idempotency-Key records (Powertools idempotency) */
  idempotencyTable: 'IDEMPOTENCY_TABLE',
  /** base URL of the payment provider's API */
  providerUrl: 'PAYMENT_PROVIDER_URL',
  /** name or ARN of the Secrets Manager secret that holds the provider's API key */
  providerSecretId: 'PAYMENT_PROVIDER_SECRET_ID',
  /** per provider call, in ms (default 5000) */
  providerTimeoutMs: 'PAYMENT_PROVIDER_TIMEOUT_MS',
  /** consecutive provider failures that open the circuit (default 5) */
  circuitFailureThreshold: 'CIRCUIT_FAILURE_THRESHOLD',
  /** seconds the circuit stays open before one trial call (default 60) */
  circuitOpenSeconds: 'CIRCUIT_OPEN_SECONDS',
  /** the breaker's name in Redis (default `payment-provider`): one breaker per provider */
  circuitName: 'CIRCUIT_NAME',
} as const;

export interface PaymentsConfig {
  paymentsTable: string;
  /** every state change writes its event here, in the same transaction */
  outboxTable: string;
}

export interface ProviderConfig {
  url: string;
  secretId: string;
  timeoutMs: number;
}

export interface CircuitConfig {
  failureThreshold: number;
  openSeconds: number;
  name: string;
}

export function readPaymentsConfig(): PaymentsConfig {
  return { paymentsTable: requiredEnv(PAYMENTS_ENV.paymentsTable), outboxTable: readOutboxTable() };
}

export const readIdempotencyTable = (): string => requiredEnv(PAYMENTS_ENV.idempotencyTable);

function positive(key: string, value: number, integer: boolean): number {
  if (!(value > 0) || (integer && !Number.isInteger(value))) {
    throw new ConfigurationError(key, `environment variable ${key} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`);
  }
  return value;
}

export function readProviderConfig(): ProviderConfig {
  const url = requiredEnv(PAYMENTS_ENV.providerUrl);
  try {
    new URL(url);
  } catch {
    throw new ConfigurationError(PAYMENTS_ENV.providerUrl, `environment variable ${PAYMENTS_ENV.providerUrl} must be a URL, got ${JSON.stringify(url)}`);
  }
  return {
    url: url.replace(/\/+$/, ''),
    secretId: requiredEnv(PAYMENTS_ENV.providerSecretId),
    timeoutMs: positive(PAYMENTS_ENV.providerTimeoutMs, numberEnv(PAYMENTS_ENV.providerTimeoutMs, 5000), true),
  };
}

export function readCircuitConfig(): CircuitConfig {
  return {
    failureThreshold: positive(PAYMENTS_ENV.circuitFailureThreshold, numberEnv(PAYMENTS_ENV.circuitFailureThreshold, 5), true),
    openSeconds: positive(PAYMENTS_ENV.circuitOpenSeconds, numberEnv(PAYMENTS_ENV.circuitOpenSeconds, 60), false),
    name: optionalEnv(PAYMENTS_ENV.circuitName, 'payment-provider'),
  };
}
