import { SendInProgressError } from '../../../../../lambdas/notifications/domain/errors';
import { eventNotificationId } from '../../../../../lambdas/notifications/domain/notification';
import { handleEvent } from '../../../../../lambdas/notifications/use-cases/handle-event';
import { confirmedData, ENDPOINT, event, eventDeps, preferences } from '../fixtures';

async function setup(prefs = preferences()) {
  const deps = eventDeps();
  await deps.preferences.put(prefs);
  return deps;
}

describe('an order or payment event becomes the customer\'s messages', () => {
  it('sends on every opted-in channel, records each sent, and counts them', async () => {
    const deps = await setup();
    const result = await handleEvent(deps, event('order.confirmed', confirmedData));
    expect(result.outcome).toBe('handled');
    expect(deps.senders.email.sent).toEqual([
      expect.objectContaining({ channel: 'email', recipient: 'user123@example.com', subject: 'Your order ord_1 is confirmed', type: 'order_confirmed', order_id: 'ord_1' }),
    ]);
    expect(deps.senders.sms.sent).toEqual([expect.objectContaining({ recipient: '+15555550123', body: 'Ecommerce Shop: your order ord_1 is confirmed. Total $599.98. Thank you!' })]);
    expect(deps.senders.push.sent).toEqual([expect.objectContaining({ recipient: ENDPOINT, subject: 'Order confirmed' })]);
    const records = [...deps.store.records.values()];
    expect(records.map((r) => [r.channel, r.status, r.attempts, r.event_id, r.lease_until])).toEqual([
      ['email', 'sent', 1, 'ev-order.confirmed-1', undefined],
      ['sms', 'sent', 1, 'ev-order.confirmed-1', undefined],
      ['push', 'sent', 1, 'ev-order.confirmed-1', undefined],
    ]);
    expect(records[0]!.notification_id).toBe(eventNotificationId('ev-order.confirmed-1', 'email'));
    expect(records[1]!.provider_message_id).toBe('msg-sms-1');
    expect(deps.metrics.sentCounts).toEqual(expect.arrayContaining([{ channel: 'email', status: 'sent' }, { channel: 'sms', status: 'sent' }, { channel: 'push', status: 'sent' }]));
    expect(deps.metrics.durations.map((d) => d.channel).sort()).toEqual(['email', 'push', 'sms']);
  });

  it('sends only on the channels the customer opted into', async () => {
    const deps = await setup(preferences({ channels: ['sms'] }));
    await handleEvent(deps, event('order.confirmed', confirmedData));
    expect([deps.senders.email.sent.length, deps.senders.sms.sent.length, deps.senders.push.sent.length]).toEqual([0, 1, 0]);
  });

  it('sends nothing the second time the same event arrives', async () => {
    const deps = await setup();
    const ev = event('order.confirmed', confirmedData);
    await handleEvent(deps, ev);
    const again = await handleEvent(deps, ev);
    expect(again).toEqual({ outcome: 'duplicate', resumed: [] });
    expect([deps.senders.email.attempts, deps.senders.sms.attempts, deps.senders.push.attempts]).toEqual([1, 1, 1]);
    expect(deps.store.records.size).toBe(3);
  });

  it('retries a failing channel with backoff, records it failed, and still sends the others', async () => {
    const deps = await setup();
    deps.senders.sms.failNext(5, 'InternalError');
    const result = await handleEvent(deps, event('order.confirmed', confirmedData));
    expect(result.outcome).toBe('handled');
    expect(deps.senders.sms.attempts).toBe(3);
    expect(deps.waits).toEqual([150, 300]);
    const sms = deps.store.records.get(eventNotificationId('ev-order.confirmed-1', 'sms'))!;
    expect(sms).toMatchObject({ status: 'failed', attempts: 3, error: { code: 'InternalError', message: 'scripted InternalError' }, failed_at: expect.any(String) });
    expect(deps.senders.email.sent).toHaveLength(1);
    expect(deps.senders.push.sent).toHaveLength(1);
    expect(deps.metrics.sentCounts).toContainEqual({ channel: 'sms', status: 'failed' });
  });

  it('a transient failure that clears within the attempts ends sent', async () => {
    const deps = await setup();
    deps.senders.email.failNext(1, 'Throttling');
    await handleEvent(deps, event('order.confirmed', confirmedData));
    expect(deps.store.records.get(eventNotificationId('ev-order.confirmed-1', 'email'))).toMatchObject({ status: 'sent', attempts: 2 });
    expect(deps.waits).toEqual([150]);
  });

  it('does not retry a refusal that another attempt cannot change', async () => {
    const deps = await setup();
    deps.senders.push.failNext(1, 'EndpointDisabled', false);
    await handleEvent(deps, event('order.confirmed', confirmedData));
    expect(deps.senders.push.attempts).toBe(1);
    expect(deps.store.records.get(eventNotificationId('ev-order.confirmed-1', 'push'))).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'EndpointDisabled' } });
    expect(deps.waits).toEqual([]);
  });

  it("sends a refund to the order's user when the payment event does not name one", async () => {
    const deps = await setup();
    expect(await handleEvent(deps, event('order.placed', { order_id: 'ord_1', user_id: 'user123', currency: 'USD' }))).toEqual({ outcome: 'ignored', reason: 'nothing to send' });
    expect(await deps.orders.find('ord_1')).toEqual({ order_id: 'ord_1', user_id: 'user123', currency: 'USD' });
    const r = await handleEvent(deps, event('payment.refunded', { order_id: 'ord_1', payment_id: 'pay_1', amount_minor: 59998, currency: 'USD' }, { subject: 'pay_1' }));
    expect(r.outcome).toBe('handled');
    expect(deps.senders.sms.sent[0]!.body).toBe('Ecommerce Shop: we refunded $599.98 for order ord_1 to your original payment method.');
  });

  it('sends nothing for an order no one is known for, a user without preferences, or a user with no channel', async () => {
    const deps = await setup(preferences({ user_id: 'quiet', channels: [] }));
    expect(await handleEvent(deps, event('payment.refunded', { order_id: 'nobody', amount_minor: 1, currency: 'USD' }))).toEqual({
      outcome: 'no_recipient',
      reason: 'no user is known for order nobody',
    });
    expect((await handleEvent(deps, event('order.confirmed', { ...confirmedData, user_id: 'stranger' }))).outcome).toBe('no_recipient');
    expect(await handleEvent(deps, event('order.confirmed', { ...confirmedData, user_id: 'quiet' }))).toEqual({ outcome: 'no_recipient', reason: 'user quiet has opted into no reachable channel' });
    expect(await handleEvent(deps, event('payment.captured', {}))).toEqual({ outcome: 'ignored', reason: 'no message for payment.captured' });
    expect(deps.store.records.size).toBe(0);
  });

  describe('a redelivery after a crash mid-send', () => {
    /** The state a crash right after the claim leaves: the marker and the pending records written, nothing sent. */
    async function crashedClaim() {
      const deps = await setup();
      const ev = event('order.confirmed', confirmedData);
      const claim = deps.store.claimEvent.bind(deps.store);
      deps.store.claimEvent = async (...args) => {
        await claim(...args);
        throw new Error('the execution environment died');
      };
      await expect(handleEvent(deps, ev)).rejects.toThrow('died');
      deps.store.claimEvent = claim;
      return { deps, ev };
    }

    it('fails the batch while the claim is leased, so the mapping tries again later', async () => {
      const { deps, ev } = await crashedClaim();
      deps.clock.advance(89_000);
      await expect(handleEvent(deps, ev)).rejects.toThrow(SendInProgressError);
      expect([deps.senders.email.attempts, deps.senders.sms.attempts, deps.senders.push.attempts]).toEqual([0, 0, 0]);
    });

    it('once the lease has run out, sends what was left pending, as rendered then', async () => {
      const { deps, ev } = await crashedClaim();
      expect([...deps.store.records.values()].map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);
      deps.clock.advance(91_000);
      const r = await handleEvent(deps, ev);
      expect(r.outcome).toBe('duplicate');
      expect(r.outcome === 'duplicate' && r.resumed.map((x) => [x.channel, x.status]).sort()).toEqual([['email', 'sent'], ['push', 'sent'], ['sms', 'sent']]);
      expect(deps.senders.email.sent.map((m) => m.subject)).toEqual(['Your order ord_1 is confirmed']);
      expect([deps.senders.email.attempts, deps.senders.sms.attempts, deps.senders.push.attempts]).toEqual([1, 1, 1]);
      expect(await handleEvent(deps, ev)).toEqual({ outcome: 'duplicate', resumed: [] });
    });
  });
});
