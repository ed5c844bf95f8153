/** `order_cancelled`: an order was cancelled; why, in the customer's words, and what happens to the money. */
import { z } from 'zod';
import { html } from '../format';
import { cancellationWords } from '../reasons';
import { orderId } from './fields';
import { htmlEmail, SHOP_NAME, textEmail } from './layout';
import type { Template } from './types';

export const orderCancelledData = z.object({
  order_id: orderId,
  /** the reason code (out_of_stock, payment_declined, ...) */
  reason: z.string().min(1).max(64),
  decline_code: z.string().min(1).max(64).optional(),
  /** the producer's own sentence, shown for a code these templates do not know */
  message: z.string().min(1).max(500).optional(),
});
export type OrderCancelledData = z.output<typeof orderCancelledData>;

export const orderCancelled: Template<OrderCancelledData> = {
  name: 'order_cancelled',
  description: 'An order was cancelled, with its reason',
  data: orderCancelledData,
  render(d, channel, ctx) {
    const words = cancellationWords(d.reason, d.decline_code, d.message);
    if (channel === 'sms') return { text: `${SHOP_NAME}: your order ${d.order_id} was cancelled because ${words.because}. ${words.money}` };
    if (channel === 'push') return { subject: 'Order cancelled', text: `Your order ${d.order_id} was cancelled because ${words.because}.` };
    const subject = `Your order ${d.order_id} was cancelled`;
    const text = textEmail(ctx, [
      `We are sorry: your order ${d.order_id} was cancelled because ${words.because}.`,
      ...(words.detail ? [words.detail] : []),
      words.money,
      'You are welcome to place the order again at any time.',
    ]);
    const body = html`<p>We are sorry: your order <strong>${d.order_id}</strong> was cancelled because ${words.because}.</p>
${words.detail ? html`<p>${words.detail}</p>` : ''}
<p>${words.money}</p>
<p>You are welcome to place the order again at any time.</p>`;
    return { subject, text, html: htmlEmail(ctx, subject, body) };
  },
};
