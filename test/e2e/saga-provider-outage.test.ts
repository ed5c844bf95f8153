/**
 * A payment provider outage through the saga, driven from outside: the simulated provider fails
 * every call (`PUT /_sim/config {"failure_rate": 1}`).
 * - An order's payment attempts (and its refund's look-up, since those attempts may have reached
 *   the provider) fail; the fifth consecutive failure opens the shared circuit breaker (Redis).
 * - While it is open, a later order fails fast at TakePayment with CircuitOpenError and is
 *   compensated (stock released, nothing captured), and the provider sees no call at all.
 * - The provider comes back; after the open time (shortened on both Payments functions with the
 *   Lambda API's UpdateFunctionConfiguration) the trial call closes the breaker, a new order
 *   completes, and the first order's refund, which waited out the open circuit, settles it.
 * The functions get a breaker of their own name for the test, so no other test shares its state;
 * their configuration and the provider's setting are put back in `finally`.
 */
import { Redis } from 'ioredis';
import { circuitKey } from '../../lambdas/payments/adapters/redis/circuit-breaker';
import { checkInvariants } from '../support/invariants';
import { endpoints, uniqueId } from '../support/local-cloud';
import { paymentsFunction, providerStats, replaceEnvironment, setProvider, updateEnvironment } from '../support/payments';
import { eventually, until } from '../support/poll';
import { closeSagaClients, endedStatus, orderEnds, paymentOf, placeOrder, sagaProduct, stockOf } from '../support/saga';

const OPEN_SECONDS = 15;

afterAll(() => closeSagaClients());

describe('saga: a payment provider outage', () => {
  it('opens the breaker after 5 failures, fails later orders fast without calling the provider, and closes after one trial', async () => {
    const redis = new Redis(endpoints().services.redis!);
    const circuit = uniqueId('saga-outage');
    const breaker = async () => (await redis.hgetall(circuitKey(circuit))) as Record<string, string>;
    const saved: Record<string, Record<string, string>> = {};
    try {
      for (const fn of [paymentsFunction('Tasks'), paymentsFunction('Api')]) {
        saved[fn] = await updateEnvironment(fn, { CIRCUIT_NAME: circuit, CIRCUIT_OPEN_SECONDS: String(OPEN_SECONDS), CIRCUIT_FAILURE_THRESHOLD: '5' });
      }
      const product = await sagaProduct({ price: 2.5, stock: 10 });
      const start = await providerStats();
      await setProvider({ failure_rate: 1 });

      // 1. the first order's payment fails until five consecutive failures open the breaker
      const first = await placeOrder(uniqueId('user'), [{ product_id: product, quantity: 1 }]);
      expect(first.status).toBe(202);
      const opened = await eventually('the breaker to open', async () => ((await breaker()).state === 'open' ? breaker() : undefined), { timeoutMs: 45_000, intervalMs: 100 });
      const atOpen = await providerStats();
      expect(opened).toMatchObject({ state: 'open', opened: '1', failures: '5' });
      expect((atOpen.outcomes.outage ?? 0) - (start.outcomes.outage ?? 0)).toBe(5);
      expect(atOpen.total - start.total).toBe(5);

      // 2. while open: a later order fails fast and is compensated; the provider is not called
      const second = await placeOrder(uniqueId('user'), [{ product_id: product, quantity: 2 }]);
      const cancelled = await orderEnds(second.body.order_id);
      expect(cancelled.status).toBe('CANCELLED');
      expect(cancelled.cancellation).toMatchObject({ reason: 'payment_unavailable', failed_step: 'payment' });
      const secondStatus = await endedStatus(second.body.order_id);
      expect(secondStatus.steps.find((s: { name: string }) => s.name === 'TakePayment')).toMatchObject({ outcome: 'failed', error: 'CircuitOpenError', attempts: 1 });
      expect(await paymentOf(second.body.order_id)).toMatchObject({ status: 'VOIDED' });
      expect(await breaker()).toMatchObject({ state: 'open', opened: '1' });
      expect(Date.now() - Number(opened.opened_at)).toBeLessThan(OPEN_SECONDS * 1000); // all of it happened while open
      const whileOpen = await providerStats();
      expect(whileOpen.total).toBe(atOpen.total);
      expect(whileOpen.outcomes).toEqual(atOpen.outcomes);

      // 3. the provider is back; after the open time one trial call closes the breaker
      await setProvider({ failure_rate: 0 });
      await until('the open time to pass', () => Date.now() > Number(opened.opened_at) + OPEN_SECONDS * 1000, { timeoutMs: OPEN_SECONDS * 1000 + 5_000, intervalMs: 100 });
      const third = await placeOrder(uniqueId('user'), [{ product_id: product, quantity: 3 }]);
      expect((await orderEnds(third.body.order_id)).status).toBe('COMPLETED');
      expect(await breaker()).toMatchObject({ state: 'closed', failures: '0', opened: '1' });

      // the first order's refund waited out the open circuit (retried every 20 s), then found nothing captured
      const firstEnd = await orderEnds(first.body.order_id, 90_000);
      expect(firstEnd.cancellation).toMatchObject({ reason: 'payment_unavailable', failed_step: 'payment' });
      const firstStatus = await endedStatus(first.body.order_id, 30_000);
      expect(firstStatus.steps.find((s: { name: string }) => s.name === 'TakePayment')).toMatchObject({ outcome: 'failed', error: 'PaymentProviderError', attempts: 3 });
      expect(firstStatus.steps.find((s: { name: string }) => s.name === 'RefundPayment')).toMatchObject({ outcome: 'succeeded' });
      expect((await paymentOf(first.body.order_id))!.status).toBe('VOIDED');

      expect(await stockOf(product)).toMatchObject({ available: 7, reserved: 0 });
      const report = await checkInvariants(endpoints(), {
        orderIds: [first.body.order_id, second.body.order_id, third.body.order_id],
        products: { [product]: { initial: 10 } },
        provider: true,
      });
      expect(report.violations).toEqual([]);
      expect(report.orders.by_status).toEqual({ CANCELLED: 2, COMPLETED: 1 });
    } finally {
      await setProvider({ failure_rate: 0 });
      for (const [fn, variables] of Object.entries(saved)) await replaceEnvironment(fn, variables);
      redis.disconnect();
    }
  });
});
