import { DeliveryFailedError, NoRecipientError } from '../../../../../lambdas/notifications/domain/errors';
import { requestNotificationId } from '../../../../../lambdas/notifications/domain/notification';
import { sendBody } from '../../../../../lambdas/notifications/schemas';
import { sendDirect } from '../../../../../lambdas/notifications/use-cases/send';
import { ValidationError } from '../../../../../lambdas/shared/errors';
import { ENDPOINT, eventDeps, preferences } from '../fixtures';

const body = (b: unknown) => sendBody.parse(b);

describe("an operator's direct send", () => {
  it('sends the given text to the given address and records it', async () => {
    const deps = eventDeps();
    const { record, replayed } = await sendDirect(deps, body({ channel: 'email', to: 'a@example.com', subject: 'Hi', body: 'Text', html: '<p>Text</p>' }));
    expect(replayed).toBe(false);
    expect(record).toMatchObject({ channel: 'email', type: 'custom', source: 'api', status: 'sent', recipient: 'a@example.com', subject: 'Hi', body: 'Text', html: '<p>Text</p>', attempts: 1 });
    expect(deps.senders.email.sent).toHaveLength(1);
    expect(deps.store.records.get(record.notification_id)?.status).toBe('sent');
  });

  it("renders a template for a user's contact on the channel, in their locale", async () => {
    const deps = eventDeps();
    await deps.preferences.put(preferences({ locale: 'de-DE', channels: [] }));
    const { record } = await sendDirect(deps, body({ channel: 'push', user_id: 'user123', template: 'payment_refunded', data: { order_id: 'o', amount_minor: 995, currency: 'EUR' } }));
    expect(record).toMatchObject({ recipient: ENDPOINT, user_id: 'user123', type: 'payment_refunded', subject: 'Refund issued', body: 'We refunded 9,95\u00a0€ for order o.' });
  });

  it('refuses a user without a contact on the channel, and template data that does not fit, sending nothing', async () => {
    const deps = eventDeps();
    await deps.preferences.put(preferences({ phone: undefined }));
    await expect(sendDirect(deps, body({ channel: 'sms', user_id: 'user123', body: 'x' }))).rejects.toThrow(NoRecipientError);
    await expect(sendDirect(deps, body({ channel: 'sms', user_id: 'nobody', body: 'x' }))).rejects.toThrow('unknown user');
    const err = await sendDirect(deps, body({ channel: 'sms', to: '+15555550100', template: 'order_confirmed', data: { order_id: 'o', currency: 'USD' } })).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.details).toEqual([{ field: 'data.total_minor', message: 'Invalid input: expected number, received undefined' }]);
    expect(deps.senders.sms.attempts).toBe(0);
    expect(deps.store.records.size).toBe(0);
  });

  it('answers a failure after the retries with a 502 naming the recorded notification', async () => {
    const deps = eventDeps();
    deps.senders.sms.failNext(3, 'InternalError');
    const err = await sendDirect(deps, body({ channel: 'sms', to: '+15555550100', body: 'x' })).catch((e) => e);
    expect(err).toBeInstanceOf(DeliveryFailedError);
    expect(err.statusCode).toBe(502);
    expect(err.expose).toBe(true);
    const [record] = [...deps.store.records.values()];
    expect(record).toMatchObject({ status: 'failed', attempts: 3 });
    expect(err.details[0]).toMatchObject({ notification_id: record!.notification_id, error_code: 'InternalError' });
  });

  it('with an Idempotency-Key, a repeat returns the first record and sends nothing; a failed first answer fails again', async () => {
    const deps = eventDeps();
    const req = body({ channel: 'sms', to: '+15555550100', body: 'once' });
    const first = await sendDirect(deps, req, 'key-1');
    const again = await sendDirect(deps, req, 'key-1');
    expect(first.record.notification_id).toBe(requestNotificationId('key-1'));
    expect(again).toEqual({ record: first.record, replayed: true });
    expect(deps.senders.sms.attempts).toBe(1);

    deps.senders.sms.failNext(3, 'InternalError');
    await expect(sendDirect(deps, req, 'key-2')).rejects.toThrow(DeliveryFailedError);
    await expect(sendDirect(deps, req, 'key-2')).rejects.toThrow(DeliveryFailedError);
    expect(deps.senders.sms.attempts).toBe(4);
  });
});
