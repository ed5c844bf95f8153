import { interpret } from '../../../../../lambdas/notifications/domain/events';
import { confirmedData, event } from '../fixtures';

describe('reading order and payment events', () => {
  it('order.placed: only whose the order is', () => {
    expect(interpret(event('order.placed', { order_id: 'ord_1', user_id: 'u1', currency: 'EUR', total_minor: 5 }))).toEqual({ contact: { order_id: 'ord_1', user_id: 'u1', currency: 'EUR' } });
    expect(interpret(event('order.placed', { order_id: 'ord_1' }))).toEqual({ ignored: 'order.placed without user_id' });
  });

  it('order.confirmed: the confirmation', () => {
    expect(interpret(event('order.confirmed', confirmedData))).toEqual({
      notify: {
        template: 'order_confirmed',
        order_id: 'ord_1',
        user_id: 'user123',
        data: { order_id: 'ord_1', total_minor: 59998, currency: 'USD', items: confirmedData.items },
      },
    });
  });

  it('takes the order id from the subject of an order event that leaves it out, and ignores fields it does not use', () => {
    const { order_id: _gone, ...rest } = confirmedData;
    const r = interpret(event('order.confirmed', { ...rest, confirmed_at: 'x', items: [{ product_id: 'P', quantity: 1, colour: 'red' }] }, { subject: 'ord_77' }));
    expect(r.notify).toMatchObject({ order_id: 'ord_77', data: { order_id: 'ord_77', items: [{ product_id: 'P', quantity: 1 }] } });
  });

  it('order.cancelled: the reason as a code beside its message, or as an object', () => {
    const flat = interpret(event('order.cancelled', { order_id: 'o', user_id: 'u', reason: 'payment_declined', message: 'Declined.', decline_code: 'insufficient_funds', failed_step: 'payment' }));
    const nested = interpret(event('order.cancelled', { order_id: 'o', user_id: 'u', reason: { code: 'payment_declined', message: 'Declined.', decline_code: 'insufficient_funds' } }));
    const expected = { template: 'order_cancelled', order_id: 'o', user_id: 'u', data: { order_id: 'o', reason: 'payment_declined', decline_code: 'insufficient_funds', message: 'Declined.' } };
    expect(flat.notify).toEqual(expected);
    expect(nested.notify).toEqual(expected);
    expect(interpret(event('order.cancelled', { order_id: 'o', user_id: 'u', reason: { code: 'out_of_stock' }, decline_code: 'x' })).notify?.data).toEqual({ order_id: 'o', reason: 'out_of_stock', decline_code: 'x' });
  });

  it('payment.refunded: with or without the user', () => {
    expect(interpret(event('payment.refunded', { order_id: 'o', payment_id: 'p', amount_minor: 100, currency: 'USD', reason: 'order cancelled' }, { subject: 'p' }))).toEqual({
      notify: { template: 'payment_refunded', order_id: 'o', user_id: undefined, data: { order_id: 'o', amount_minor: 100, currency: 'USD' } },
    });
    expect(interpret(event('payment.refunded', { order_id: 'o', user_id: 'u', amount_minor: 0, currency: 'USD' }))).toEqual({ ignored: 'nothing was refunded' });
  });

  it.each([
    ['payment.captured', { order_id: 'o', amount_minor: 1, currency: 'USD' }, 'no message for payment.captured'],
    ['payment.declined', { order_id: 'o' }, 'no message for payment.declined'],
    ['order.confirmed', 'not an object', 'data is not an object'],
    ['order.confirmed', { order_id: 'o', user_id: 'u', total_minor: -1, currency: 'USD' }, 'order.confirmed does not fit: total_minor: Too small: expected number to be >=0'],
    ['order.confirmed', { order_id: 'o', total_minor: 1, currency: 'ZZZ' }, 'order.confirmed does not fit: currency: not a supported ISO 4217 currency'],
    ['order.cancelled', { order_id: 'o', user_id: 'u' }, expect.stringMatching(/^order.cancelled does not fit: reason/)],
    ['payment.refunded', { amount_minor: 1, currency: 'USD' }, 'payment.refunded without order_id'],
  ])('%s with %j is ignored: %s', (type, data, reason) => {
    expect(interpret(event(type, data, { subject: 'p' })).ignored).toEqual(reason);
    expect(interpret(event(type, data, { subject: 'p' })).notify).toBeUndefined();
  });
});
