/** Refunding an order's payment (the saga's compensation) or a payment (the API), in full, once. */
import { paymentEvent } from '../domain/events';
import { PaymentProviderError, countsAsProviderFailure } from '../domain/errors';
import { captured, declined, paymentIdFor, planRefund, refunded, voided, type Payment } from '../domain/payment';
import { waitForChange, type PaymentDeps } from './deps';

export type RefundResult =
  | { outcome: 'REFUNDED'; payment: Payment; replayed: boolean }
  /** nothing was captured (declined, voided, never charged): nothing to give back */
  | { outcome: 'NOTHING_TO_REFUND'; payment: Payment };

export interface RefundRequest {
  /** the payment, or the order whose payment it is */
  target: { paymentId: string } | { orderId: string };
  reason: string;
  /** when sent, it must be the captured amount (full refunds only) */
  amountMinor?: number;
}

const MAX_ROUNDS = 20;

/**
 * 1. Captured: refund at the provider under the payment id as idempotency key, then record
 *    REFUNDED with its event. Refunded already: the answer.
 * 2. Declined or voided: nothing to refund.
 * 3. An attempt whose outcome is unknown (timed out, failed at the provider, abandoned): ask the
 *    provider by the payment's key and record what it says (captured: refund it; declined or
 *    never made: nothing to refund).
 * 4. No payment yet (a refund by order before any charge): void the order's payment, so a charge
 *    that arrives late cannot capture. By payment id, an unknown payment is undefined.
 * An attempt still in progress elsewhere is waited for.
 */
export async function refundPayment(deps: PaymentDeps, req: RefundRequest): Promise<RefundResult | undefined> {
  const id = 'paymentId' in req.target ? req.target.paymentId : paymentIdFor(req.target.orderId);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const p = await deps.payments.get(id);
    if (!p && 'paymentId' in req.target) return undefined;
    const plan = planRefund(p, deps.now(), req.amountMinor);
    switch (plan.kind) {
      case 'settled':
        return { outcome: 'REFUNDED', payment: plan.payment, replayed: true };
      case 'nothing':
        return { outcome: 'NOTHING_TO_REFUND', payment: plan.payment };
      case 'wait': {
        await waitForChange(deps, () => deps.payments.get(id), plan.payment.version, plan.until);
        continue; // settled, failed, or abandoned (then asked)
      }
      case 'void': {
        const orderId = p?.orderId ?? (req.target as { orderId: string }).orderId;
        const next = voided(plan.payment, orderId, `refund before capture: ${req.reason}`, deps.now());
        if (await deps.payments.save(next, plan.payment && { version: plan.payment.version, status: plan.payment.status })) return { outcome: 'NOTHING_TO_REFUND', payment: next };
        continue;
      }
      case 'ask':
        await settleUnknown(deps, plan.payment, req.reason);
        continue;
      case 'refund':
        return { outcome: 'REFUNDED', payment: await refundAtProvider(deps, plan.payment, req.reason), replayed: false };
    }
  }
  throw new PaymentProviderError('in_progress', 'the payment keeps changing; retry the refund later');
}

/** Calls the provider through the breaker, reporting the outcome to it. */
async function guarded<T>(deps: PaymentDeps, call: () => Promise<T>): Promise<T> {
  const permit = await deps.breaker.acquire(); // CircuitOpenError: the saga retries the compensation later
  try {
    const out = await call();
    await deps.breaker.success(permit);
    return out;
  } catch (err) {
    if (err instanceof PaymentProviderError) await (countsAsProviderFailure(err.reason) ? deps.breaker.failure(permit) : deps.breaker.success(permit));
    throw err;
  }
}

/** Asks the provider what the attempt under this payment's key came to, and records it. */
async function settleUnknown(deps: PaymentDeps, p: Payment, reason: string): Promise<void> {
  const found = await guarded(deps, () => deps.provider.findCharge(p.paymentId));
  // an abandoned PENDING attempt is first marked failed so the same rules apply
  const from = p;
  const now = deps.now();
  const base = p.status === 'PENDING' ? { ...p, status: 'FAILED' as const, uncertain: true } : p;
  const next =
    found.outcome === 'approved'
      ? captured(base, found.reference, now, found.card)
      : found.outcome === 'declined'
        ? declined(base, found.code, found.message, now, found.reference)
        : voided(base, p.orderId, `nothing captured at the provider: ${reason}`, now);
  await deps.payments.save(next, { version: from.version, status: from.status }, paymentEvent(next)); // lost race: the loop reads again
}

async function refundAtProvider(deps: PaymentDeps, p: Payment, reason: string): Promise<Payment> {
  const out = await guarded(deps, () =>
    deps.provider.refund({ idempotencyKey: p.paymentId, reference: p.providerReference!, amountMinor: p.amountMinor, reason }),
  );
  const next = refunded(p, out.reference, reason, deps.now());
  if (await deps.payments.save(next, { version: p.version, status: p.status }, paymentEvent(next))) {
    deps.metrics.refunded(next.amountMinor, next.currency);
    return next;
  }
  const current = await deps.payments.get(p.paymentId);
  if (current?.status === 'REFUNDED') return current;
  throw new PaymentProviderError('in_progress', 'the payment changed during the refund; retry later');
}

