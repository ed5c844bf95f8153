/** `order_confirmed`: an order went through the saga and is confirmed; its lines and total. */
import { z } from 'zod';
import { clip, formatMoney, html } from '../format';
import { amountMinor, currency, orderId } from './fields';
import { htmlEmail, SHOP_NAME, textEmail } from './layout';
import type { Template } from './types';

const line = z.object({
  product_id: z.string().min(1).max(128),
  quantity: z.number().int().min(1).max(1_000_000),
  unit_price_minor: amountMinor.optional(),
  name: z.string().min(1).max(200).optional(),
});

export const orderConfirmedData = z.object({
  order_id: orderId,
  total_minor: amountMinor,
  currency,
  items: z.array(line).max(200).default([]),
});
export type OrderConfirmedData = z.output<typeof orderConfirmedData>;

/** The lines shown in an email: at most this many, then "and N more". */
const MAX_LINES_SHOWN = 20;

export const orderConfirmed: Template<OrderConfirmedData> = {
  name: 'order_confirmed',
  description: 'An order is confirmed: its lines and total',
  data: orderConfirmedData,
  render(d, channel, ctx) {
    const total = formatMoney(d.total_minor, d.currency, ctx.locale);
    if (channel === 'sms') return { text: `${SHOP_NAME}: your order ${d.order_id} is confirmed. Total ${total}. Thank you!` };
    if (channel === 'push') return { subject: 'Order confirmed', text: `Your order ${d.order_id} is confirmed. Total ${total}.` };
    const shown = d.items.slice(0, MAX_LINES_SHOWN);
    const more = d.items.length - shown.length;
    const label = (l: (typeof d.items)[number]) => clip(l.name ?? l.product_id, 80);
    const amount = (l: (typeof d.items)[number]) => (l.unit_price_minor === undefined ? '' : formatMoney(l.unit_price_minor * l.quantity, d.currency, ctx.locale));
    const subject = `Your order ${d.order_id} is confirmed`;
    const lines = shown.map((l) => `  ${l.quantity} × ${label(l)}${l.unit_price_minor === undefined ? '' : `  ${amount(l)}`}`);
    if (more > 0) lines.push(`  … and ${more} more item${more === 1 ? '' : 's'}`);
    const text = textEmail(ctx, [
      `Thank you for your order. Order ${d.order_id} is confirmed.`,
      ...(lines.length ? [lines.join('\n')] : []),
      `Total: ${total}`,
      "We will let you know when it ships.",
    ]);
    const rows = shown.map(
      (l) => html`<tr><td style="padding:4px 8px 4px 0">${l.quantity} ×</td><td style="padding:4px 8px">${label(l)}</td><td style="padding:4px 0;text-align:right">${amount(l)}</td></tr>`,
    );
    const body = html`<p>Thank you for your order. Order <strong>${d.order_id}</strong> is confirmed.</p>
${rows.length ? html`<table style="border-collapse:collapse;width:100%">${rows}</table>` : ''}
${more > 0 ? html`<p>… and ${more} more item${more === 1 ? '' : 's'}</p>` : ''}
<p style="font-size:16px"><strong>Total: ${total}</strong></p>
<p>We will let you know when it ships.</p>`;
    return { subject, text, html: htmlEmail(ctx, subject, body) };
  },
};
