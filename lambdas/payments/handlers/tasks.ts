/**
 * The saga's payment steps, invoked by Step Functions through one function (`action`), as
 * statemachines/README.md specifies them:
 *   charge → {payment_id, status: "CAPTURED", amount_minor, currency, provider_reference}, or fails with
 *            PaymentDeclinedError (the message names the decline code), CircuitOpenError,
 *            PaymentProviderError (transient) or ValidationError
 *   refund → {payment_id, status: "REFUNDED"} or {status: "NOTHING_TO_REFUND"}, or fails with
 *            PaymentProviderError or CircuitOpenError (both retried)
 * Both are idempotent by order: a retried charge never charges twice, a repeated refund answers the first.
 */
import { readFaultInjectionEnabled } from '../../shared/env';
import { applyStepFault, parseInput, taskHandler, taskRouter, type StepFault } from '../../shared/task';
import { annotateOrder, logger } from '../../shared/powertools';
import { paymentDeps } from '../dependencies';
import { PaymentDeclinedError, PaymentStateError } from '../domain/errors';
import { chargeTask, refundTask } from '../schemas';
import { chargeOrder } from '../use-cases/charge';
import { refundPayment } from '../use-cases/refund';

const faultInjection = readFaultInjectionEnabled();
const deps = paymentDeps();

export async function charge(input: unknown) {
  await applyStepFault((input as { fault?: StepFault } | null)?.fault, 'payment', faultInjection);
  const req = parseInput(input, chargeTask);
  annotateOrder(req.order_id);
  const { payment, replayed } = await chargeOrder(deps, {
    orderId: req.order_id,
    userId: req.user_id,
    amountMinor: req.amount_minor,
    currency: req.currency,
    cardNumber: req.payment_method.card_number,
  });
  logger.info('charge', { order_id: payment.orderId, payment_id: payment.paymentId, status: payment.status, replayed });
  if (payment.status === 'DECLINED') throw new PaymentDeclinedError(payment.declineCode!, payment.declineMessage ?? 'declined', payment.paymentId);
  if (payment.status !== 'CAPTURED') {
    throw new PaymentStateError(`the order's payment is ${payment.status.toLowerCase()}; it cannot be charged again`, [{ field: 'order_id', message: payment.status, payment_id: payment.paymentId }]);
  }
  return { payment_id: payment.paymentId, status: 'CAPTURED', amount_minor: payment.amountMinor, currency: payment.currency, provider_reference: payment.providerReference };
}

export async function refund(input: unknown) {
  const { order_id, reason } = parseInput(input, refundTask);
  annotateOrder(order_id);
  const result = (await refundPayment(deps, { target: { orderId: order_id }, reason }))!;
  logger.info('refund', { order_id, payment_id: result.payment.paymentId, outcome: result.outcome, payment_status: result.payment.status });
  return result.outcome === 'REFUNDED'
    ? { payment_id: result.payment.paymentId, status: 'REFUNDED' }
    : { payment_id: result.payment.paymentId, status: 'NOTHING_TO_REFUND' };
}

export const handler = taskHandler(taskRouter({ charge, refund }));
