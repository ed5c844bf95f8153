/**
 * Issue 11 end to end: orders placed through the API for `user123` (the original's quick-start
 * customer, email, SMS and push) go through the saga, and the customer's messages appear at the
 * local SES and SNS inspection endpoints: exactly one per channel for a confirmed order, with its
 * id and total in the customer's currency; the cancellation with its reason for a declined card.
 */
import { endedFor, emailsTo, pushesTo, smsTo, type Customer } from '../support/notifications';
import { DECLINED_CARD, placeOrder, user123 } from '../support/order-flow';
import { orderableProduct } from '../support/orders';
import { eventually } from '../support/poll';

let customer: Customer;

beforeAll(async () => {
  // the e2e cloud starts without sample data: the sample customers are saved as a fresh start saves them
  customer = await user123();
  expect(customer).toMatchObject({ email: 'user123@example.com', phone: '+15555550123', push_endpoint_arn: expect.stringMatching(/:endpoint\/GCM\//) });
});

/** The messages of one order on each of user123's channels, once each channel has `n`. */
async function messagesOf(orderId: string, n = 1) {
  return eventually(
    `${n} message(s) of ${orderId} on each of user123's channels`,
    async () => {
      const [email, sms, push] = await Promise.all([emailsTo(customer.email), smsTo(customer.phone), pushesTo(customer.push_endpoint_arn)]);
      const mine = <T>(list: T[], text: (m: T) => string) => list.filter((m) => text(m).includes(orderId));
      const got = {
        email: mine(email, (m) => `${m.Subject}\n${m.Body.text_part}`),
        sms: mine(sms, (m) => m.Message),
        push: mine(push, (m) => m.Message),
      };
      return got.email.length >= n && got.sms.length >= n && got.push.length >= n ? got : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );
}

describe("an order's messages, through the API", () => {
  it('a confirmed order for user123: exactly one email, one SMS and one push, with the order id and total in dollars', async () => {
    const productId = await orderableProduct({ price: 12.5, name: 'Trail Mug' });
    const order = await placeOrder({ items: [{ product_id: productId, quantity: 3 }] }, ['COMPLETED']);
    expect(order.total_minor).toBe(3750);
    expect(order.currency).toBe('USD');
    const id = order.order_id;

    await messagesOf(id);
    // all three were sent (the history has ended them), so nothing else can still arrive: count exactly
    const items = await endedFor(id, 3);
    expect(items.map((i) => [i.channel, i.status, i.type]).sort()).toEqual([
      ['email', 'sent', 'order_confirmed'],
      ['push', 'sent', 'order_confirmed'],
      ['sms', 'sent', 'order_confirmed'],
    ]);
    const got = await messagesOf(id);
    expect(got.email).toHaveLength(1);
    expect(got.email[0]!.Destination.ToAddresses).toEqual(['user123@example.com']);
    expect(got.email[0]!.Subject).toBe(`Your order ${id} is confirmed`);
    expect(got.email[0]!.Body.text_part).toContain(`Order ${id} is confirmed.`);
    expect(got.email[0]!.Body.text_part).toContain('3 × Trail Mug  $37.50');
    expect(got.email[0]!.Body.text_part).toContain('Total: $37.50');
    expect(got.email[0]!.Body.html_part).toContain('<strong>Total: $37.50</strong>');
    expect(got.sms.map((m) => m.Message)).toEqual([`Ecommerce Shop: your order ${id} is confirmed. Total $37.50. Thank you!`]);
    expect(got.push).toHaveLength(1);
    expect(got.push[0]!.MessageStructure).toBe('json');
    expect(JSON.parse(JSON.parse(got.push[0]!.Message).GCM)).toEqual({
      notification: { title: 'Order confirmed', body: `Your order ${id} is confirmed. Total $37.50.` },
      data: { type: 'order_confirmed', notification_id: expect.any(String), order_id: id },
    });
  });

  it('a declined card: the cancellation with its reason on each channel, nothing confirmed', async () => {
    const productId = await orderableProduct({ price: 9.99 });
    const order = await placeOrder({ items: [{ product_id: productId, quantity: 1 }], payment_method: { card_number: DECLINED_CARD } }, ['CANCELLED']);
    const id = order.order_id;
    await messagesOf(id);
    const items = await endedFor(id, 3);
    expect(items.map((i) => [i.channel, i.status, i.type]).sort()).toEqual([
      ['email', 'sent', 'order_cancelled'],
      ['push', 'sent', 'order_cancelled'],
      ['sms', 'sent', 'order_cancelled'],
    ]);
    const got = await messagesOf(id);
    const because = 'the payment did not go through: your card was declined';
    expect(got.email).toHaveLength(1);
    expect(got.email[0]!.Subject).toBe(`Your order ${id} was cancelled`);
    expect(got.email[0]!.Body.text_part).toContain(`We are sorry: your order ${id} was cancelled because ${because}.`);
    expect(got.email[0]!.Body.text_part).toContain('You have not been charged.');
    expect(got.sms.map((m) => m.Message)).toEqual([`Ecommerce Shop: your order ${id} was cancelled because ${because}. You have not been charged.`]);
    expect(got.push).toHaveLength(1);
    expect(JSON.parse(JSON.parse(got.push[0]!.Message).GCM)).toMatchObject({
      notification: { title: 'Order cancelled', body: `Your order ${id} was cancelled because ${because}.` },
    });
  });
});
