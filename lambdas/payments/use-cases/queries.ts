/** Reading a payment. */
import { NotFoundError } from '../../shared/errors';
import type { PaymentRepository } from '../domain/ports';
import type { Payment } from '../domain/payment';

export async function getPayment(payments: PaymentRepository, paymentId: string): Promise<Payment> {
  const p = await payments.get(paymentId);
  if (!p) throw new NotFoundError(`no payment ${paymentId}`, [{ field: 'id', message: 'no such payment' }]);
  return p;
}
