/**
 * The Notifications service on the local cloud, deployed from the real template: order and
 * payment events produced to Kafka (as Orders and Payments produce them) reach the customers'
 * channels on the local SES and SNS, once; the API's preferences, direct sends and history; bad
 * input; the SMS channel made to fail; and the SES v2 and SNS clients against the edge.
 *
 * One file for every test that sends: the SMS fault switch is global to the local SNS, so the
 * test that turns it on must not run beside another that expects an SMS to go out.
 */
import { DynamoDBClient, GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DeleteEmailIdentityCommand, GetConfigurationSetCommand, GetEmailIdentityCommand, SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { CreatePlatformEndpointCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SesEmailSender } from '../../../lambdas/notifications/adapters/aws/ses-email';
import { SnsSmsSender } from '../../../lambdas/notifications/adapters/aws/sns-sms';
import { ChannelError } from '../../../lambdas/notifications/domain/errors';
import { CONFIGURATION_SET_NAME, CONSUMER_GROUPS, DEFAULT_EMAIL_IDENTITY } from '../../../lib/services/notifications';
import { loadSampleUsers } from '../../../local/platform/sample-data';
import { SAMPLE_USERS } from '../../../local/platform/sample-users';
import { awsClientConfig, call, endpoints, uniqueId } from '../../support/local-cloud';
import {
  closeProducer,
  emailsTo,
  endedFor,
  history,
  newCustomer,
  orderEvent,
  paymentEvent,
  produce,
  pushesTo,
  received,
  replay,
  smsTo,
  snsFault,
  uniquePhone,
} from '../../support/notifications';
import { eventually } from '../../support/poll';

const FROM = `notifications@${DEFAULT_EMAIL_IDENTITY}`;

afterAll(async () => {
  await snsFault('sms', null);
  await closeProducer();
});

/** Notifications' projection of whose an order is, read from its table (undefined until it has the order). */
async function orderKnown(orderId: string): Promise<true | undefined> {
  const db = new DynamoDBClient(awsClientConfig());
  const table = (await db.send(new ListTablesCommand({}))).TableNames?.find((t) => t.includes('NotificationOrdersTable'));
  const out = await db.send(new GetItemCommand({ TableName: table, Key: { order_id: { S: orderId } } }));
  return out.Item ? true : undefined;
}

async function failure(p: Promise<unknown>): Promise<Error & { name: string; message: string; $fault?: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (err) {
    return err as never;
  }
  throw new Error('expected the call to fail');
}

describe('order and payment events become messages', () => {
  it('an order confirmed for a customer with all three channels: one email, one SMS, one push, with the order id and total', async () => {
    const c = await newCustomer();
    const orderId = uniqueId('ord');
    await produce('order-events', orderEvent('order.placed', orderId, { user_id: c.user_id, total_minor: 59998, currency: 'USD', items: [] }));
    await produce(
      'order-events',
      orderEvent('order.confirmed', orderId, {
        user_id: c.user_id,
        total_minor: 59998,
        currency: 'USD',
        items: [{ product_id: 'PROD-001', quantity: 2, unit_price_minor: 29999, name: 'Premium Headphones' }],
      }),
    );
    const got = await received(c);
    expect(got.email).toHaveLength(1);
    const [email] = got.email;
    expect(email).toMatchObject({ Source: FROM, Subject: `Your order ${orderId} is confirmed`, ConfigurationSetName: CONFIGURATION_SET_NAME });
    expect(email!.Body.text_part).toContain(`Order ${orderId} is confirmed.`);
    expect(email!.Body.text_part).toContain('2 × Premium Headphones  $599.98');
    expect(email!.Body.text_part).toContain('Total: $599.98');
    expect(email!.Body.html_part).toContain('<strong>Total: $599.98</strong>');
    expect(email!.EmailTags).toEqual([
      { Name: 'notification_id', Value: expect.stringMatching(/^ntf_[0-9a-f]{32}$/) },
      { Name: 'notification_type', Value: 'order_confirmed' },
    ]);
    expect(got.sms.map((m) => m.Message)).toEqual([`Ecommerce Shop: your order ${orderId} is confirmed. Total $599.98. Thank you!`]);
    expect(got.sms[0]!.MessageAttributes?.['AWS.SNS.SMS.SMSType']?.StringValue).toBe('Transactional');
    expect(got.push).toHaveLength(1);
    const payload = JSON.parse(got.push[0]!.Message);
    expect(got.push[0]!.MessageStructure).toBe('json');
    expect(JSON.parse(payload.GCM)).toEqual({
      notification: { title: 'Order confirmed', body: `Your order ${orderId} is confirmed. Total $599.98.` },
      data: { type: 'order_confirmed', notification_id: expect.any(String), order_id: orderId },
    });

    const items = await endedFor(orderId, 3);
    expect(items.map((i) => [i.channel, i.status, i.attempts, i.type]).sort()).toEqual([
      ['email', 'sent', 1, 'order_confirmed'],
      ['push', 'sent', 1, 'order_confirmed'],
      ['sms', 'sent', 1, 'order_confirmed'],
    ]);
  });

  it('an order cancelled: the cancellation with its reason in words', async () => {
    const c = await newCustomer();
    const orderId = uniqueId('ord');
    await produce('order-events', orderEvent('order.cancelled', orderId, { user_id: c.user_id, reason: 'payment_declined', decline_code: 'insufficient_funds', message: 'Your payment was declined.' }));
    const got = await received(c);
    expect(got.email[0]!.Subject).toBe(`Your order ${orderId} was cancelled`);
    expect(got.email[0]!.Body.text_part).toContain(`your order ${orderId} was cancelled because the payment did not go through: your card has insufficient funds.`);
    expect(got.sms.map((m) => m.Message)).toEqual([
      `Ecommerce Shop: your order ${orderId} was cancelled because the payment did not go through: your card has insufficient funds. You have not been charged.`,
    ]);
  });

  it("a refund without a user goes to the order's user (from the order events), in the refund's currency", async () => {
    const c = await newCustomer('ntf', { locale: 'de-DE' });
    const orderId = uniqueId('ord');
    await produce('order-events', orderEvent('order.placed', orderId, { user_id: c.user_id, total_minor: 1999, currency: 'EUR', items: [] }));
    // the two topics are not ordered between them: the refund goes once the projection has the order
    await eventually('the order to be in the projection', () => orderKnown(orderId));
    const paymentId = uniqueId('pay');
    await produce('payment-events', paymentEvent('payment.refunded', paymentId, { order_id: orderId, payment_id: paymentId, amount_minor: 1999, currency: 'EUR', reason: 'order cancelled' }));
    await received(c);
    expect((await smsTo(c.phone))[0]!.Message).toBe(`Ecommerce Shop: we refunded 19,99\u00a0€ for order ${orderId} to your original payment method.`);
  });

  it('replaying the same Kafka records (the group reset to an earlier offset) sends nothing a second time', async () => {
    const c = await newCustomer();
    const orderId = uniqueId('ord');
    const at = await produce('order-events', orderEvent('order.confirmed', orderId, { user_id: c.user_id, total_minor: 1000, currency: 'USD', items: [] }));
    await received(c);
    await endedFor(orderId, 3);

    await replay('order-events', CONSUMER_GROUPS.orders, at.partition, at.offset, at.offset);

    // a later order of the same customer goes through the same group: once it is delivered, the replay was too
    const later = uniqueId('ord');
    await produce('order-events', orderEvent('order.confirmed', later, { user_id: c.user_id, total_minor: 2000, currency: 'USD', items: [] }));
    const after = await received(c, 2);
    expect(after.email.map((m) => m.Subject)).toEqual([`Your order ${orderId} is confirmed`, `Your order ${later} is confirmed`]);
    expect(after.sms).toHaveLength(2);
    expect(after.push).toHaveLength(2);
    expect((await history(`order_id=${orderId}`)).items).toHaveLength(3);
  });

  it('with the SMS channel failing, email and push are still sent and the SMS is recorded failed after its retries', async () => {
    const c = await newCustomer();
    const orderId = uniqueId('ord');
    await snsFault('sms', 'InternalError');
    try {
      await produce('order-events', orderEvent('order.confirmed', orderId, { user_id: c.user_id, total_minor: 4200, currency: 'USD', items: [] }));
      const items = await endedFor(orderId, 3);
      const byChannel = Object.fromEntries(items.map((i) => [i.channel, i]));
      expect(byChannel.email).toMatchObject({ status: 'sent', attempts: 1 });
      expect(byChannel.push).toMatchObject({ status: 'sent', attempts: 1 });
      expect(byChannel.sms).toMatchObject({ status: 'failed', attempts: 3, error: { code: 'InternalError', message: 'Local fault injected on the sms channel' } });
    } finally {
      await snsFault('sms', null);
    }
    expect(await emailsTo(c.email)).toHaveLength(1);
    expect(await pushesTo(c.push_endpoint_arn)).toHaveLength(1);
    expect(await smsTo(c.phone)).toEqual([]);
    const failed = await history(`user_id=${c.user_id}&status=failed`);
    expect(failed.items.map((i) => [i.channel, i.order_id])).toEqual([['sms', orderId]]);
    const sent = await history(`user_id=${c.user_id}&status=sent`);
    expect(sent.items.map((i) => i.channel).sort()).toEqual(['email', 'push']);
  });

  it('an event that does not fit, or a customer without preferences, sends nothing and does not hold up the partition', async () => {
    const c = await newCustomer();
    const bad = uniqueId('ord');
    await produce('order-events', orderEvent('order.confirmed', bad, { user_id: c.user_id, total_minor: 'lots', currency: 'USD' }));
    await produce('order-events', orderEvent('order.confirmed', bad, { user_id: uniqueId('nobody'), total_minor: 1, currency: 'USD' }));
    const good = uniqueId('ord');
    await produce('order-events', orderEvent('order.confirmed', good, { user_id: c.user_id, total_minor: 1, currency: 'USD' }));
    const got = await received(c);
    expect(got.email.map((m) => m.Subject)).toEqual([`Your order ${good} is confirmed`]);
    expect((await history(`order_id=${bad}`)).items).toEqual([]);
  });
});

describe('preferences', () => {
  it('saves, reads and replaces a customer\'s contacts; a push token becomes an SNS platform endpoint', async () => {
    const userId = uniqueId('pref');
    const phone = uniquePhone();
    const created = await call(`/api/notifications/preferences/${userId}`, { method: 'PUT', body: { email: 'x@example.com', phone, push_token: `tok-${userId}`, channels: ['sms', 'email'], locale: 'en-gb' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      user_id: userId,
      email: 'x@example.com',
      phone,
      push_token: `tok-${userId}`,
      push_endpoint_arn: expect.stringMatching(/^arn:aws:sns:us-east-1:000000000000:endpoint\/GCM\/ecommerce-notifications\/[0-9a-f-]{36}$/),
      channels: ['email', 'sms'],
      locale: 'en-GB',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const read = await call(`/api/notifications/preferences/${userId}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    const replaced = await call(`/api/notifications/preferences/${userId}`, { method: 'PUT', body: { push_token: `tok-${userId}`, channels: ['push'] } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.push_endpoint_arn).toBe(created.body.push_endpoint_arn);
    expect(replaced.body.email).toBeUndefined();
    expect((await call(`/api/notifications/preferences/${uniqueId('ghost')}`)).status).toBe(404);
  });

  it('loads the sample customers, user123 with all three channels', async () => {
    await loadSampleUsers(endpoints(), endpoints().api_keys.internal!);
    const res = await call('/api/notifications/preferences/user123');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user_id: 'user123', email: 'user123@example.com', phone: '+15555550123', channels: ['email', 'sms', 'push'] });
    expect(res.body.push_endpoint_arn).toMatch(/:endpoint\/GCM\/ecommerce-notifications\//);
    for (const u of SAMPLE_USERS) expect((await call(`/api/notifications/preferences/${u.user_id}`)).status).toBe(200);
  });
});

describe('direct sends and history', () => {
  it('sends an email, an SMS and a push an operator writes, and lists them newest first with a cursor', async () => {
    const c = await newCustomer('direct');
    const email = await call('/api/notifications/send', { body: { channel: 'email', to: c.email, subject: 'Hello', body: 'Plain', html: '<p>Rich</p>', user_id: c.user_id } });
    expect(email.status).toBe(201);
    expect(email.body).toMatchObject({ channel: 'email', status: 'sent', type: 'custom', source: 'api', recipient: c.email, attempts: 1, provider_message_id: expect.any(String) });
    const sms = await call('/api/notifications/send', { body: { channel: 'sms', user_id: c.user_id, template: 'payment_refunded', data: { order_id: 'o-1', amount_minor: 500, currency: 'GBP' } } });
    expect(sms.status).toBe(201);
    expect(sms.body).toMatchObject({ recipient: c.phone, body: 'Ecommerce Shop: we refunded £5.00 for order o-1 to your original payment method.' });
    const push = await call('/api/notifications/send', { body: { channel: 'push', user_id: c.user_id, subject: 'Sale', body: 'Today only' } });
    expect(push.status).toBe(201);

    const got = await received(c);
    expect(got.email[0]).toMatchObject({ Subject: 'Hello', Body: { text_part: 'Plain', html_part: '<p>Rich</p>' } });
    expect(JSON.parse(JSON.parse(got.push[0]!.Message).GCM).notification).toEqual({ title: 'Sale', body: 'Today only' });

    const first = await history(`user_id=${c.user_id}&limit=2`);
    expect(first.items.map((i) => i.channel)).toEqual(['push', 'sms']);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = await history(`user_id=${c.user_id}&limit=2&cursor=${first.next_cursor}`);
    expect(second.items.map((i) => i.channel)).toEqual(['email']);
    expect(second.next_cursor).toBeNull();
    const smsOnly = await history(`user_id=${c.user_id}&channel=sms`);
    expect(smsOnly.items.map((i) => i.notification_id)).toEqual([sms.body.notification_id]);
    const cursorOfAnother = await call(`/api/notifications/history?status=sent&cursor=${first.next_cursor}`);
    expect(cursorOfAnother.status).toBe(400);
    expect(cursorOfAnother.body.error.details[0].field).toBe('cursor');
  });

  it('with an Idempotency-Key, a repeated send answers the first record and sends nothing', async () => {
    const phone = uniquePhone();
    const key = uniqueId('idem');
    const req = { body: { channel: 'sms', to: phone, body: 'once' }, headers: { 'idempotency-key': key } };
    const first = await call('/api/notifications/send', req);
    const again = await call('/api/notifications/send', req);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await smsTo(phone)).toHaveLength(1);
  });

  it('answers health without a key', async () => {
    const res = await call('/api/notifications/health', { key: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ service: 'notifications', status: 'ok', checks: { dynamodb: { status: 'ok' } } });
    expect((await call('/api/notifications/history?user_id=x', { key: null })).status).toBe(403);
  });
});

describe('bad input is a 4xx in the platform error shape, and nothing is sent', () => {
  const phone = uniquePhone();
  const address = `${uniqueId('bad')}@example.com`;

  it.each([
    ['an unknown channel', { channel: 'fax', to: phone, body: 'x' }, 422, 'channel'],
    ['a malformed address', { channel: 'email', to: 'not-an-address', subject: 's', body: 'x' }, 422, 'to'],
    ['a malformed phone number', { channel: 'sms', to: '5550100', body: 'x' }, 422, 'to'],
    ['a push target that is not an endpoint', { channel: 'push', to: 'arn:aws:sns:us-east-1:000000000000:a-topic', body: 'x' }, 422, 'to'],
    ['a missing body', { channel: 'sms', to: phone }, 422, 'body'],
    ['an email without a subject', { channel: 'email', to: address, body: 'x' }, 422, 'subject'],
    ['an unknown template', { channel: 'email', to: address, template: 'welcome', data: {} }, 422, 'template'],
    ['template data that does not fit', { channel: 'sms', to: phone, template: 'order_confirmed', data: { order_id: 'o' } }, 422, 'data.total_minor'],
    ['an SMS over ten segments', { channel: 'sms', to: phone, body: 'x'.repeat(1601) }, 422, 'body'],
    ['an unknown user', { channel: 'sms', user_id: uniqueId('ghost'), body: 'x' }, 422, 'user_id'],
  ])('send with %s (%j): %i naming %s', async (_what, body, status, field) => {
    const res = await call('/api/notifications/send', { body });
    expect(res.status).toBe(status);
    expect(res.body.error).toEqual({ code: 'validation_failed', message: expect.any(String), details: expect.arrayContaining([expect.objectContaining({ field })]) });
  });

  it('send with a 1 MB body: 413; malformed JSON: 400; no body: 400; not JSON: 415', async () => {
    const big = await call('/api/notifications/send', { body: { channel: 'email', to: address, subject: 's', body: 'x'.repeat(1024 * 1024) } });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
    const malformed = await call('/api/notifications/send', { method: 'POST', rawBody: '{"channel":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_json');
    const none = await call('/api/notifications/send', { method: 'POST' });
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('missing_body');
    const text = await call('/api/notifications/send', { method: 'POST', rawBody: 'channel=sms', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
  });

  it('preferences with a malformed address, phone number or channel, or a channel without its contact: 422', async () => {
    const path = `/api/notifications/preferences/${uniqueId('bad')}`;
    const cases: Array<[unknown, string[]]> = [
      [{ email: 'nope', channels: ['email'] }, ['email']],
      [{ phone: '0044 7700 900123', channels: ['sms'] }, ['phone']],
      [{ channels: ['pager'] }, ['channels.0']],
      [{ email: 'a@example.com', channels: ['email', 'sms'] }, ['channels.1']],
      [{ channels: ['email'], extra: 1 }, ['']],
    ];
    for (const [body, fields] of cases) {
      const res = await call(path, { method: 'PUT', body });
      expect(res.status).toBe(422);
      expect(res.body.error.details.map((d: { field?: string }) => d.field ?? '')).toEqual(fields);
    }
    expect((await call(path)).status).toBe(404);
    expect((await call(`/api/notifications/preferences/${encodeURIComponent('bad id!')}`)).status).toBe(400);
    for (const query of ['', '?channel=sms']) {
      const noFilter = await call(`/api/notifications/history${query}`);
      expect(noFilter.status).toBe(400);
      expect(noFilter.body.error).toEqual({ code: 'invalid_parameter', message: 'invalid query parameter', details: [{ field: 'user_id', message: 'give at least one of user_id, order_id, status (channel narrows them)' }] });
    }
  });

  it('none of the refused requests sent anything', async () => {
    expect(await smsTo(phone)).toEqual([]);
    expect(await emailsTo(address)).toEqual([]);
  });
});

describe('the SES v2 and SNS clients against the edge', () => {
  const ses = () => new SESv2Client(awsClientConfig());
  const sns = () => new SNSClient(awsClientConfig());

  it('the template deployed the sender identity (verified locally) and the configuration set', async () => {
    const identity = await ses().send(new GetEmailIdentityCommand({ EmailIdentity: DEFAULT_EMAIL_IDENTITY }));
    expect(identity).toMatchObject({ IdentityType: 'DOMAIN', VerifiedForSendingStatus: true, ConfigurationSetName: CONFIGURATION_SET_NAME });
    const set = await ses().send(new GetConfigurationSetCommand({ ConfigurationSetName: CONFIGURATION_SET_NAME }));
    expect(set).toMatchObject({ ConfigurationSetName: CONFIGURATION_SET_NAME, SendingOptions: { SendingEnabled: true } });
  });

  it("SES v2's errors for a malformed request, as the client parses them", async () => {
    const simple = { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } };
    const badAddress = await failure(ses().send(new SendEmailCommand({ FromEmailAddress: FROM, Destination: { ToAddresses: ['no-at-sign'] }, Content: simple })));
    expect(badAddress).toMatchObject({ name: 'BadRequestException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
    const noSet = await failure(ses().send(new SendEmailCommand({ FromEmailAddress: FROM, Destination: { ToAddresses: ['a@example.com'] }, Content: simple, ConfigurationSetName: 'no-such-set' })));
    expect(noSet).toMatchObject({ name: 'NotFoundException', $metadata: { httpStatusCode: 404 } });
    const unverified = await failure(ses().send(new SendEmailCommand({ FromEmailAddress: 'someone@not-verified.example', Destination: { ToAddresses: ['a@example.com'] }, Content: simple })));
    expect(unverified.name).toBe('MessageRejected');
    expect(unverified.message).toMatch(/^Email address is not verified\. The following identities failed the check in region US-EAST-1: someone@not-verified\.example/);
    const noIdentity = await failure(ses().send(new DeleteEmailIdentityCommand({ EmailIdentity: `${uniqueId('gone')}.example` })));
    expect(noIdentity).toMatchObject({ name: 'NotFoundException', $metadata: { httpStatusCode: 404 } });
  });

  it("SNS's errors for a malformed request, as the client parses them", async () => {
    const badPhone = await failure(sns().send(new PublishCommand({ PhoneNumber: '12345', Message: 'x' })));
    expect(badPhone).toMatchObject({ name: 'InvalidParameterException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
    expect(badPhone.message).toMatch(/^Invalid parameter: PhoneNumber Reason: /);
    const noApp = await failure(sns().send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: 'arn:aws:sns:us-east-1:000000000000:app/GCM/none', Token: 't' })));
    expect(noApp).toMatchObject({ name: 'NotFoundException', $metadata: { httpStatusCode: 404 } });
    const noTarget = await failure(sns().send(new PublishCommand({ Message: 'x' })));
    expect(noTarget).toMatchObject({ name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } });
  });

  it("the channel adapters turn those errors into failures that are not retried, and the fault switch's into ones that are", async () => {
    const email = new SesEmailSender(ses(), { fromAddress: FROM, configurationSet: CONFIGURATION_SET_NAME });
    const rejected = await failure(email.send({ notification_id: 'ntf_x', channel: 'email', type: 'custom', recipient: 'no-at-sign', subject: 's', body: 'b' }));
    expect(rejected).toBeInstanceOf(ChannelError);
    expect(rejected).toMatchObject({ code: 'BadRequest', transient: false });
    const text = new SnsSmsSender(sns());
    const phone = uniquePhone();
    await snsFault('sms', 'InternalError');
    try {
      const down = await failure(text.send({ notification_id: 'ntf_y', channel: 'sms', type: 'custom', recipient: phone, body: 'b' }));
      expect(down).toMatchObject({ code: 'InternalError', transient: true });
      await snsFault('sms', 'Throttled');
      expect(await failure(text.send({ notification_id: 'ntf_y', channel: 'sms', type: 'custom', recipient: phone, body: 'b' }))).toMatchObject({ code: 'Throttled', transient: true });
    } finally {
      await snsFault('sms', null);
    }
    expect(await text.send({ notification_id: 'ntf_z', channel: 'sms', type: 'custom', recipient: phone, body: 'b' })).toEqual({ messageId: expect.any(String) });
    expect(await smsTo(phone)).toHaveLength(1);
  });
});
