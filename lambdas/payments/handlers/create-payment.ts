/**
 * POST /api/payments: charges an order's payment. 201 with the payment; an order that already
 * has its payment is answered with it (200) and charges nothing; a declined card is 402 with the
 * decline code; an open circuit is 503 with Retry-After.
 */
import { json, parseBody, type HttpEvent } from '../../shared/http';
import { logger } from '../../shared/powertools';
import { paymentDeps } from '../dependencies';
import { PaymentDeclinedError } from '../domain/errors';
import { paymentView } from '../domain/payment';
import { createPaymentBody } from '../schemas';
import { chargeOrder } from '../use-cases/charge';
import { amountMinorOf } from './money';

const deps = paymentDeps();

export async function createPaymentRoute(event: HttpEvent) {
  const body = parseBody(event, createPaymentBody);
  const amountMinor = amountMinorOf(body, body.currency, true)!;
  const { payment, replayed } = await chargeOrder(deps, {
    orderId: body.order_id,
    userId: body.user_id,
    amountMinor,
    currency: body.currency,
    cardNumber: body.payment_method.card_number,
  });
  logger.info('payment', { payment_id: payment.paymentId, order_id: payment.orderId, status: payment.status, replayed });
  if (payment.status === 'DECLINED') throw new PaymentDeclinedError(payment.declineCode!, payment.declineMessage ?? 'declined', payment.paymentId);
  return json(replayed ? 200 : 201, paymentView(payment), replayed ? {} : { location: `/api/payments/${payment.paymentId}` });
}
