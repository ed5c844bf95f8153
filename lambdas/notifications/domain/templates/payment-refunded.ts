/** `payment_refunded`: money went back to the customer's payment method. */
import { z } from 'zod';
import { formatMoney, html } from '../format';
import { amountMinor, currency, orderId } from './fields';
import { htmlEmail, SHOP_NAME, textEmail } from './layout';
import type { Template } from './types';

export const paymentRefundedData = z.object({
  order_id: orderId,
  amount_minor: amountMinor,
  currency,
});
export type PaymentRefundedData = z.output<typeof paymentRefundedData>;

export const paymentRefunded: Template<PaymentRefundedData> = {
  name: 'payment_refunded',
  description: 'A payment was refunded',
  data: paymentRefundedData,
  render(d, channel, ctx) {
    const amount = formatMoney(d.amount_minor, d.currency, ctx.locale);
    if (channel === 'sms') return { text: `${SHOP_NAME}: we refunded ${amount} for order ${d.order_id} to your original payment method.` };
    if (channel === 'push') return { subject: 'Refund issued', text: `We refunded ${amount} for order ${d.order_id}.` };
    const subject = `Your refund of ${amount} for order ${d.order_id}`;
    const text = textEmail(ctx, [
      `We have refunded ${amount} for order ${d.order_id} to your original payment method.`,
      'Depending on your bank it can take 5 to 10 business days to show on your statement.',
    ]);
    const body = html`<p>We have refunded <strong>${amount}</strong> for order <strong>${d.order_id}</strong> to your original payment method.</p>
<p>Depending on your bank it can take 5 to 10 business days to show on your statement.</p>`;
    return { subject, text, html: htmlEmail(ctx, subject, body) };
  },
};
