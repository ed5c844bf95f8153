import { PAYMENTS_ENV, readCircuitConfig, readIdempotencyTable, readPaymentsConfig, readProviderConfig } from '../../../../lambdas/payments/env';
import { EVENTS_ENV } from '../../../../lambdas/shared/env';
import { withEnvironment } from '../../../support/environment';

const names = [...Object.values(PAYMENTS_ENV), EVENTS_ENV.outboxTable];
const provider = { PAYMENT_PROVIDER_URL: 'https://provider.example/api/', PAYMENT_PROVIDER_SECRET_ID: 'arn:aws:secretsmanager:us-east-1:1:secret:k-AbCdEf' };

describe('the payments environment', () => {
  it('reads the tables', () => {
    expect(withEnvironment({ PAYMENTS_TABLE: 'payments', OUTBOX_TABLE: 'outbox' }, readPaymentsConfig, names)).toEqual({ paymentsTable: 'payments', outboxTable: 'outbox' });
    expect(() => withEnvironment({}, readIdempotencyTable, names)).toThrow('environment variable IDEMPOTENCY_TABLE is required but not set');
  });

  it('reads the provider: its URL without a trailing slash, the secret, the timeout (5 s unless set)', () => {
    expect(withEnvironment(provider, readProviderConfig, names)).toEqual({ url: 'https://provider.example/api', secretId: provider.PAYMENT_PROVIDER_SECRET_ID, timeoutMs: 5000 });
    expect(withEnvironment({ ...provider, PAYMENT_PROVIDER_TIMEOUT_MS: '800' }, readProviderConfig, names).timeoutMs).toBe(800);
    expect(() => withEnvironment({ ...provider, PAYMENT_PROVIDER_URL: 'not a url' }, readProviderConfig, names)).toThrow('environment variable PAYMENT_PROVIDER_URL must be a URL, got "not a url"');
    expect(() => withEnvironment({ ...provider, PAYMENT_PROVIDER_SECRET_ID: undefined }, readProviderConfig, names)).toThrow(/PAYMENT_PROVIDER_SECRET_ID is required/);
  });

  it('reads the circuit settings: 5 failures and 60 s unless set; shorter open times for tests', () => {
    expect(withEnvironment({}, readCircuitConfig, names)).toEqual({ failureThreshold: 5, openSeconds: 60, name: 'payment-provider' });
    expect(withEnvironment({ CIRCUIT_FAILURE_THRESHOLD: '3', CIRCUIT_OPEN_SECONDS: '2.5', CIRCUIT_NAME: 'test' }, readCircuitConfig, names)).toEqual({ failureThreshold: 3, openSeconds: 2.5, name: 'test' });
    expect(() => withEnvironment({ CIRCUIT_FAILURE_THRESHOLD: '0' }, readCircuitConfig, names)).toThrow('environment variable CIRCUIT_FAILURE_THRESHOLD must be a positive integer, got 0');
    expect(() => withEnvironment({ CIRCUIT_OPEN_SECONDS: 'soon' }, readCircuitConfig, names)).toThrow('environment variable CIRCUIT_OPEN_SECONDS must be a number, got "soon"');
  });
});
