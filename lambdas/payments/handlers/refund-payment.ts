/**
 * POST /api/payments/{id}/refund: refunds a captured payment in full. 200 with the refunded
 * payment, also when it was refunded before; a partial amount is 422; a payment with nothing
 * captured (declined, voided) is 409.
 */
import { NotFoundError } from '../../shared/errors';
import { json, parseBody, parseParams, type HttpEvent } from '../../shared/http';
import { logger } from '../../shared/powertools';
import { paymentDeps } from '../dependencies';
import { PaymentStateError } from '../domain/errors';
import { NO_CURRENCY, paymentView } from '../domain/payment';
import { paymentPath, refundBody } from '../schemas';
import { getPayment } from '../use-cases/queries';
import { refundPayment } from '../use-cases/refund';
import { amountMinorOf } from './money';

const deps = paymentDeps();

export async function refundPaymentRoute(event: HttpEvent) {
  const { id } = parseParams(event.pathParameters, paymentPath, 'path');
  const body = event.parsedBody === undefined ? {} : parseBody(event, refundBody);
  const current = await getPayment(deps.payments, id);
  const amountMinor = current.currency === NO_CURRENCY ? undefined : amountMinorOf(body, current.currency, false);
  const result = await refundPayment(deps, { target: { paymentId: id }, reason: body.reason ?? 'requested_by_customer', amountMinor });
  if (!result) throw new NotFoundError(`no payment ${id}`, [{ field: 'id', message: 'no such payment' }]);
  if (result.outcome === 'NOTHING_TO_REFUND') {
    throw new PaymentStateError(`nothing was captured: the payment is ${result.payment.status}, so there is nothing to refund`, [
      { field: 'id', message: `payment ${result.payment.status}`, status: result.payment.status },
    ]);
  }
  logger.info('payment refunded', { payment_id: id, order_id: result.payment.orderId, replayed: result.replayed });
  return json(200, paymentView(result.payment));
}
