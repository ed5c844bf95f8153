import middy from '@middy/core';
import { InjectedFaultError } from '../../../../../lambdas/shared/errors';
import { applyFault, faultInjection } from '../../../../../lambdas/shared/middleware/fault-injection';
import { lambdaContext } from '../../../../support/lambda';

const fn = (enabled: boolean) =>
  middy<{ headers: Record<string, string> }, string>(async () => 'handled').use(faultInjection({ enabled }));

describe('fault injection', () => {
  afterEach(() => jest.useRealTimers());

  it('does nothing when it is off, whatever the request asks', async () => {
    expect(await fn(false)({ headers: { 'x-fault-injection': 'error' } }, lambdaContext())).toBe('handled');
    await expect(applyFault('error', false)).resolves.toBeUndefined();
  });

  it('throws an unexpected error on request when on (header name in any case)', async () => {
    await expect(fn(true)({ headers: { 'X-Fault-Injection': 'error' } }, lambdaContext())).rejects.toBeInstanceOf(InjectedFaultError);
    expect(await fn(true)({ headers: {} }, lambdaContext())).toBe('handled');
    expect(await fn(true)({ headers: { 'x-fault-injection': 'unknown-kind' } }, lambdaContext())).toBe('handled');
  });

  it('delays the handler by the milliseconds asked', async () => {
    jest.useFakeTimers();
    let done = false;
    const call = fn(true)({ headers: { 'x-fault-injection': 'delay=5000' } }, lambdaContext()).then((r) => (done = r === 'handled'));
    await jest.advanceTimersByTimeAsync(4_999);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await call;
    expect(done).toBe(true);
  });
});
