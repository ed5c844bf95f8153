/**
 * Charging an order, once, whoever asks and however often (the saga's task and its retries, the
 * API and its retries, concurrently or not).
 */
import { paymentEvent } from '../domain/events';
import { CircuitOpenError, PaymentProviderError, countsAsProviderFailure } from '../domain/errors';
import { captured, declined, failed, paymentIdFor, planCharge, type ChargeRequest, type Payment } from '../domain/payment';
import { waitForChange, type PaymentDeps } from './deps';

export interface ChargeResult {
  payment: Payment;
  /** true: the order's payment was already settled and this call changed nothing */
  replayed: boolean;
}


const MAX_ROUNDS = 20;

/**
 * 1. Read the order's payment (its id derives from the order id): a settled one is the answer.
 * 2. Claim an attempt with a conditional write; of concurrent callers one wins and the others
 *    wait for its outcome, so the provider is called once.
 * 3. Pass the circuit breaker: when it is open, record the attempt FAILED and fail fast.
 * 4. Call the provider with the payment id as its idempotency key (a repeated attempt after an
 *    unknown outcome is answered, not charged again).
 * 5. Record the outcome and its event in one transaction, and report to the breaker: a decline
 *    is an answer, so it counts as a success; timeouts and provider errors count as failures.
 */
export async function chargeOrder(deps: PaymentDeps, req: ChargeRequest): Promise<ChargeResult> {
  const id = paymentIdFor(req.orderId);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const existing = await deps.payments.get(id);
    const plan = planCharge(existing, req, deps.now(), deps.leaseMs);
    if (plan.kind === 'settled') return { payment: plan.payment, replayed: true };
    if (plan.kind === 'wait') {
      await waitForChange(deps, () => deps.payments.get(id), plan.payment.version, plan.until);
      continue; // settled, failed (try again) or abandoned (take over)
    }
    const claimed = await deps.payments.save(plan.next, plan.previous && { version: plan.previous.version, status: plan.previous.status });
    if (!claimed) continue; // another caller moved it first: look again
    return { payment: await attempt(deps, req, plan.next), replayed: false };
  }
  throw new PaymentProviderError('in_progress', 'a charge for this order is still in progress; retry later');
}

/** One attempt on a payment this caller holds (PENDING). */
async function attempt(deps: PaymentDeps, req: ChargeRequest, claimed: Payment): Promise<Payment> {
  let permit;
  try {
    permit = await deps.breaker.acquire();
  } catch (err) {
    if (err instanceof CircuitOpenError) {
      await record(deps, failed(claimed, 'circuit_open', err.message, deps.now()), claimed);
      deps.metrics.processed('FAILED', claimed.amountMinor, claimed.currency);
      deps.metrics.failed('circuit_open');
    }
    throw err;
  }
  let outcome;
  try {
    outcome = await deps.provider.charge({
      idempotencyKey: claimed.paymentId,
      amountMinor: claimed.amountMinor,
      currency: claimed.currency,
      cardNumber: req.cardNumber,
      orderId: claimed.orderId,
    });
  } catch (err) {
    if (!(err instanceof PaymentProviderError)) throw err; // unexpected: the lease runs out and a retry asks the provider
    await (countsAsProviderFailure(err.reason) ? deps.breaker.failure(permit) : deps.breaker.success(permit));
    await record(deps, failed(claimed, err.reason, err.message, deps.now()), claimed);
    deps.metrics.processed('FAILED', claimed.amountMinor, claimed.currency);
    deps.metrics.failed(err.reason);
    throw err;
  }
  await deps.breaker.success(permit);
  const next =
    outcome.outcome === 'approved'
      ? captured(claimed, outcome.reference, deps.now(), outcome.card)
      : declined(claimed, outcome.code, outcome.message, deps.now(), outcome.reference);
  const saved = await record(deps, next, claimed);
  deps.metrics.processed(saved.status, saved.amountMinor, saved.currency);
  if (saved.status === 'DECLINED') deps.metrics.failed(saved.declineCode ?? 'declined');
  return saved;
}

/**
 * Writes the attempt's outcome (with its event). If the payment moved meanwhile (this caller's
 * lease ran out and another took over), the stored payment is the answer when settled; otherwise
 * the other attempt is still running, and this one reports a transient failure.
 */
async function record(deps: PaymentDeps, next: Payment, from: Payment): Promise<Payment> {
  if (await deps.payments.save(next, { version: from.version, status: from.status }, paymentEvent(next))) return next;
  const current = await deps.payments.get(from.paymentId);
  if (current && (current.status === 'CAPTURED' || current.status === 'DECLINED' || current.status === 'REFUNDED')) return current;
  throw new PaymentProviderError('in_progress', 'another attempt took this payment over; retry later');
}

