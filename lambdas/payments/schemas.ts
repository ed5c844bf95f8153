/** Request schemas of the payments API and saga tasks (validated in handlers). */
import { z } from 'zod';
import { isSupportedCurrency, MAX_PRICE_MINOR } from '../shared/money';

const orderId = z.string().min(1).max(128).regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'letters, digits, and _ . : - only');
const currency = z
  .string()
  .transform((c) => c.trim().toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD').refine(isSupportedCurrency, 'currency is not supported'));
const cardNumber = z
  .string()
  .transform((n) => n.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^\d{12,19}$/, 'a card number of 12 to 19 digits'));
export const paymentMethod = z.object({ card_number: cardNumber });

/** POST /api/payments: `amount` in major units (as the catalog takes prices) or `amount_minor`; both if they agree. */
export const createPaymentBody = z.strictObject({
  order_id: orderId,
  user_id: z.string().min(1).max(128).optional(),
  amount: z.number().positive('amount must be above 0').optional(),
  amount_minor: z.number().int('amount_minor must be an integer').positive('amount_minor must be above 0').max(MAX_PRICE_MINOR).optional(),
  currency: currency.default('USD'),
  payment_method: paymentMethod,
});

/** POST /api/payments/{id}/refund: full refunds; an amount, when sent, must be the captured one. */
export const refundBody = z.strictObject({
  reason: z.string().trim().min(1).max(200).optional(),
  amount: z.number().positive().optional(),
  amount_minor: z.number().int().positive().optional(),
});

export const paymentPath = z.object({ id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'a payment id') });

/** The saga's TakePayment input (statemachines/README.md). */
export const chargeTask = z.object({
  order_id: orderId,
  user_id: z.string().min(1).max(128).optional(),
  amount_minor: z.number().int().positive().max(MAX_PRICE_MINOR),
  currency,
  payment_method: paymentMethod,
});

/** The saga's RefundPayment input. */
export const refundTask = z.object({ order_id: orderId, reason: z.string().min(1).max(200).default('compensation') });
