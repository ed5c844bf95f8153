import { UnknownTemplateError } from '../../../../../lambdas/notifications/domain/errors';
import { cancellationWords } from '../../../../../lambdas/notifications/domain/reasons';
import { orderCancelled, orderConfirmed, paymentRefunded, renderTemplate } from '../../../../../lambdas/notifications/domain/templates';

const ctx = { locale: 'en-US', name: 'Alex' };
const confirmed = orderConfirmed.data.parse({
  order_id: 'ord_1',
  total_minor: 59998,
  currency: 'USD',
  items: [
    { product_id: 'PROD-001', quantity: 2, unit_price_minor: 29999, name: 'Premium Headphones' },
    { product_id: 'PROD-002', quantity: 1 },
  ],
});

describe('order_confirmed', () => {
  it('email: subject, a text part with every line and the total, and an HTML part of the same', () => {
    const m = orderConfirmed.render(confirmed, 'email', ctx);
    expect(m.subject).toBe('Your order ord_1 is confirmed');
    expect(m.text).toBe(
      'Hi Alex,\n\nThank you for your order. Order ord_1 is confirmed.\n\n  2 × Premium Headphones  $599.98\n  1 × PROD-002\n\nTotal: $599.98\n\nWe will let you know when it ships.\n\n— Ecommerce Shop\n',
    );
    expect(m.html).toContain('<html lang="en-US">');
    expect(m.html).toContain('<strong>Total: $599.98</strong>');
    expect(m.html).toContain('<td style="padding:4px 8px">Premium Headphones</td>');
  });

  it('sms and push: short texts with the order id and total', () => {
    expect(orderConfirmed.render(confirmed, 'sms', ctx)).toEqual({ text: 'Ecommerce Shop: your order ord_1 is confirmed. Total $599.98. Thank you!' });
    expect(orderConfirmed.render(confirmed, 'push', ctx)).toEqual({ subject: 'Order confirmed', text: 'Your order ord_1 is confirmed. Total $599.98.' });
  });

  it("formats money in the customer's locale and the order's currency", () => {
    const eur = orderConfirmed.data.parse({ order_id: 'o', total_minor: 123456, currency: 'EUR' });
    expect(orderConfirmed.render(eur, 'sms', { locale: 'de-DE' }).text).toBe('Ecommerce Shop: your order o is confirmed. Total 1.234,56\u00a0€. Thank you!');
    expect(orderConfirmed.render(eur, 'email', { locale: 'de-DE' }).text.startsWith('Hello,\n\n')).toBe(true);
  });

  it('escapes names and product names in HTML, not in text', () => {
    const d = orderConfirmed.data.parse({ order_id: 'o<1>', total_minor: 1, currency: 'USD', items: [{ product_id: 'p', quantity: 1, name: '<b>Bold</b> & co' }] });
    const m = orderConfirmed.render(d, 'email', { locale: 'en-US', name: '<img src=x>' });
    expect(m.html).toContain('&lt;b&gt;Bold&lt;/b&gt; &amp; co');
    expect(m.html).toContain('Hi &lt;img src=x&gt;,');
    expect(m.html).toContain('<title>Your order o&lt;1&gt; is confirmed</title>');
    expect(m.html).not.toContain('<b>Bold</b>');
    expect(m.text).toContain('<b>Bold</b> & co');
  });

  it('lists at most 20 lines, then says how many more', () => {
    const items = Array.from({ length: 23 }, (_, i) => ({ product_id: `P${i}`, quantity: 1 }));
    const m = orderConfirmed.render(orderConfirmed.data.parse({ order_id: 'o', total_minor: 1, currency: 'USD', items }), 'email', ctx);
    expect(m.text).toContain('  1 × P19\n  … and 3 more items');
    expect(m.text).not.toContain('P20');
  });
});

describe('order_cancelled', () => {
  it('gives the reason in words, and what happened to the money', () => {
    const d = orderCancelled.data.parse({ order_id: 'ord_9', reason: 'out_of_stock' });
    expect(orderCancelled.render(d, 'sms', ctx).text).toBe(
      'Ecommerce Shop: your order ord_9 was cancelled because some of its items are no longer in stock. You have not been charged.',
    );
    expect(orderCancelled.render(d, 'push', ctx)).toEqual({ subject: 'Order cancelled', text: 'Your order ord_9 was cancelled because some of its items are no longer in stock.' });
    const email = orderCancelled.render(d, 'email', ctx);
    expect(email.subject).toBe('Your order ord_9 was cancelled');
    expect(email.text).toContain('We are sorry: your order ord_9 was cancelled because some of its items are no longer in stock.\n\nYou have not been charged.');
  });

  it('names the decline in words', () => {
    const d = orderCancelled.data.parse({ order_id: 'o', reason: 'payment_declined', decline_code: 'expired_card' });
    expect(orderCancelled.render(d, 'push', ctx).text).toBe('Your order o was cancelled because the payment did not go through: your card has expired.');
  });

  it.each([
    ['payment_unavailable', undefined, 'we could not reach our payment provider'],
    ['timeout', undefined, 'it took too long to process'],
    ['step_timed_out', undefined, 'it took too long to process'],
    ['reconciled', undefined, 'it could not be completed in time'],
    ['internal_error', undefined, 'something went wrong on our side'],
    ['payment_declined', 'no_such_code', 'the payment did not go through: your card was declined'],
    ['payment_declined', 'constructor', 'the payment did not go through: your card was declined'],
  ])('%s (%s) reads "because %s"', (code, decline, because) => {
    expect(cancellationWords(code, decline).because).toBe(because);
  });

  it("shows an unknown code's own message beside neutral words", () => {
    expect(cancellationWords('fraud_review', undefined, 'Held for review.')).toEqual({
      because: 'it could not be completed',
      money: expect.stringContaining('If a payment was taken'),
      detail: 'Held for review.',
    });
    expect(cancellationWords('toString').detail).toBeUndefined();
    const email = orderCancelled.render(orderCancelled.data.parse({ order_id: 'o', reason: 'fraud_review', message: 'Held for review.' }), 'email', ctx);
    expect(email.text).toContain('was cancelled because it could not be completed.\n\nHeld for review.\n\n');
  });
});

describe('payment_refunded', () => {
  it('states the amount in the currency of the refund', () => {
    const d = paymentRefunded.data.parse({ order_id: 'ord_1', amount_minor: 1500, currency: 'JPY' });
    expect(paymentRefunded.render(d, 'sms', ctx).text).toBe('Ecommerce Shop: we refunded ¥1,500 for order ord_1 to your original payment method.');
    expect(paymentRefunded.render(d, 'email', ctx).subject).toBe('Your refund of ¥1,500 for order ord_1');
    expect(paymentRefunded.render(d, 'push', ctx)).toEqual({ subject: 'Refund issued', text: 'We refunded ¥1,500 for order ord_1.' });
  });
});

describe('renderTemplate', () => {
  it('renders a named template from data its schema accepts', () => {
    expect(renderTemplate('payment_refunded', { order_id: 'o', amount_minor: 250, currency: 'GBP' }, 'push', { locale: 'en-GB' }).text).toBe('We refunded £2.50 for order o.');
  });

  it('refuses an unknown template, naming the known ones', () => {
    expect(() => renderTemplate('welcome', {}, 'email', ctx)).toThrow(UnknownTemplateError);
    expect(() => renderTemplate('__proto__', {}, 'email', ctx)).toThrow(UnknownTemplateError);
    try {
      renderTemplate('welcome', {}, 'email', ctx);
    } catch (err) {
      expect((err as UnknownTemplateError).details).toEqual([{ field: 'template', message: 'no template named "welcome"; expected one of order_confirmed, order_cancelled, payment_refunded' }]);
    }
  });

  it("refuses data the template's schema does not accept", () => {
    expect(() => renderTemplate('order_confirmed', { order_id: 'o', total_minor: 1.5, currency: 'USD' }, 'sms', ctx)).toThrow(/total_minor/);
    expect(() => renderTemplate('order_confirmed', { order_id: 'o', total_minor: 1, currency: 'XYZ' }, 'sms', ctx)).toThrow(/not a supported ISO 4217 currency/);
  });
});
