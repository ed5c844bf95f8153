/** GET /api/payments/{id}: a payment and its state. */
import { json, parseParams, type HttpEvent } from '../../shared/http';
import { paymentRepository } from '../dependencies';
import { paymentView } from '../domain/payment';
import { paymentPath } from '../schemas';
import { getPayment } from '../use-cases/queries';

const payments = paymentRepository();

export async function getPaymentRoute(event: HttpEvent) {
  const { id } = parseParams(event.pathParameters, paymentPath, 'path');
  return json(200, paymentView(await getPayment(payments, id)));
}
