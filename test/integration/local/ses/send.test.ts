// SendEmail through @aws-sdk/client-sesv2: simple, raw and templated content, recipients, reply-to,
// configuration sets and tags; the checks and errors SES gives; SendBulkEmail; what /_aws/ses shows.
import {
  CreateConfigurationSetCommand,
  CreateEmailIdentityCommand,
  CreateEmailTemplateCommand,
  GetAccountCommand,
  MessageRejected,
  NotFoundException,
  SendBulkEmailCommand,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { type Harness, failure, inspect, startSes } from './helpers';

let h: Harness;
const T0 = Date.UTC(2026, 10, 20, 9, 30, 0);
beforeAll(async () => {
  h = await startSes({ clock: () => T0 });
  await h.client.send(new CreateEmailIdentityCommand({ EmailIdentity: 'shop@example.com' }));
  await h.client.send(new CreateEmailIdentityCommand({ EmailIdentity: 'mail.example.org' }));
  await h.client.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'notifications' }));
  await h.client.send(
    new CreateEmailTemplateCommand({
      TemplateName: 'order-confirmed',
      TemplateContent: {
        Subject: 'Order {{order.id}} confirmed',
        Text: 'Hi {{name}}, your total is {{order.total}}.{{#if vip}} Thanks for being a VIP!{{/if}}',
        Html: '<p>Hi {{name}}</p><ul>{{#each order.items}}<li>{{this}}</li>{{/each}}</ul>',
      },
    }),
  );
});
afterAll(async () => {
  await h.stop();
});
beforeEach(async () => {
  expect((await fetch(`${h.url}/_aws/ses`, { method: 'DELETE' })).status).toBe(204);
});

test('a simple message is sent and shown at /_aws/ses in LocalStack\'s shape', async () => {
  const { MessageId } = await h.client.send(
    new SendEmailCommand({
      FromEmailAddress: 'Shop <shop@example.com>',
      Destination: { ToAddresses: ['ann@example.net'], CcAddresses: ['bob@example.net'], BccAddresses: ['audit@example.net'] },
      ReplyToAddresses: ['help@example.com'],
      ConfigurationSetName: 'notifications',
      EmailTags: [{ Name: 'type', Value: 'order.confirmed' }],
      Content: { Simple: { Subject: { Data: 'Hello' }, Body: { Text: { Data: 'plain' }, Html: { Data: '<b>html</b>' } } } },
    }),
  );
  expect(MessageId).toMatch(/^[0-9a-f]{16}-[0-9a-f-]{36}-000000$/);
  expect(await inspect(h.url)).toEqual([
    {
      Id: MessageId,
      Region: 'us-east-1',
      Source: 'Shop <shop@example.com>',
      Subject: 'Hello',
      Body: { text_part: 'plain', html_part: '<b>html</b>' },
      Destination: { ToAddresses: ['ann@example.net'], CcAddresses: ['bob@example.net'], BccAddresses: ['audit@example.net'] },
      ReplyToAddresses: ['help@example.com'],
      ConfigurationSetName: 'notifications',
      EmailTags: [{ Name: 'type', Value: 'order.confirmed' }],
      Timestamp: '2026-11-20T09:30:00.000Z',
    },
  ]);
});

test('a templated message is rendered with its data (Handlebars, as SES)', async () => {
  const data = JSON.stringify({ name: 'Ann & Co', vip: true, order: { id: 'ord-1', total: '€49.99', items: ['mug', '<tea>'] } });
  await h.client.send(
    new SendEmailCommand({
      FromEmailAddress: 'orders@mail.example.org',
      Destination: { ToAddresses: ['ann@example.net'] },
      Content: { Template: { TemplateName: 'order-confirmed', TemplateData: data } },
    }),
  );
  const [m] = await inspect(h.url, '?email=orders@mail.example.org');
  expect(m).toMatchObject({
    Source: 'orders@mail.example.org',
    Template: 'order-confirmed',
    TemplateData: data,
    Subject: 'Order ord-1 confirmed',
    Body: { text_part: 'Hi Ann & Co, your total is €49.99. Thanks for being a VIP!', html_part: '<p>Hi Ann &amp; Co</p><ul><li>mug</li><li>&lt;tea&gt;</li></ul>' },
  });
  const missing = await failure(
    h.client.send(
      new SendEmailCommand({
        FromEmailAddress: 'orders@mail.example.org',
        Destination: { ToAddresses: ['ann@example.net'] },
        Content: { Template: { TemplateName: 'order-confirmed', TemplateData: JSON.stringify({ order: { id: 'x', items: [] } }) } },
      }),
    ),
  );
  expect(missing).toBeInstanceOf(MessageRejected);
  expect(missing.message).toBe("Rendering failure: Attribute 'name' is not present in the rendering data.");
  const unknown = await failure(
    h.client.send(new SendEmailCommand({ FromEmailAddress: 'shop@example.com', Destination: { ToAddresses: ['a@example.net'] }, Content: { Template: { TemplateName: 'nope', TemplateData: '{}' } } })),
  );
  expect(unknown).toBeInstanceOf(NotFoundException);
  expect(unknown.message).toBe('Template nope does not exist.');
  expect(unknown.$metadata?.httpStatusCode).toBe(404);
});

test('a raw MIME message is kept whole; source, recipients and subject come from its headers', async () => {
  const raw = [
    'From: Shop <shop@example.com>',
    'To: ann@example.net,',
    ' "Bob, B." <bob@example.net>',
    'Subject: =?UTF-8?B?w4ljaGFudGlsbG9u?=',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    '',
    'Body text',
  ].join('\r\n');
  const { MessageId } = await h.client.send(new SendEmailCommand({ Content: { Raw: { Data: Buffer.from(raw) } } }));
  const [m] = await inspect(h.url, `?id=${MessageId}`);
  expect(m).toMatchObject({ Id: MessageId, Source: 'Shop <shop@example.com>', RawData: raw, Subject: 'Échantillon', Destination: { ToAddresses: ['ann@example.net', '"Bob, B." <bob@example.net>'] } });
  const noFrom = await failure(h.client.send(new SendEmailCommand({ Content: { Raw: { Data: Buffer.from('To: a@example.net\r\n\r\nhi') } } })));
  expect(noFrom).toBeInstanceOf(MessageRejected);
});

test('an unverified sender is refused with MessageRejected, as SES does', async () => {
  const err = await failure(
    h.client.send(
      new SendEmailCommand({ FromEmailAddress: 'stranger@elsewhere.com', Destination: { ToAddresses: ['ann@example.net'] }, Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } } }),
    ),
  );
  expect(err).toBeInstanceOf(MessageRejected);
  expect(err.message).toBe('Email address is not verified. The following identities failed the check in region US-EAST-1: stranger@elsewhere.com');
  expect(err.$metadata?.httpStatusCode).toBe(400);
  // the wire: the error name in x-amzn-ErrorType, the message in the body
  const r = await fetch(`${h.url}/v2/email/outbound-emails`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ FromEmailAddress: 'x@y.com', Destination: { ToAddresses: ['a@b.com'] }, Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } } }),
  });
  expect(r.status).toBe(400);
  expect(r.headers.get('x-amzn-errortype')).toBe('MessageRejected');
  expect(await r.json()).toEqual({ message: 'Email address is not verified. The following identities failed the check in region US-EAST-1: x@y.com' });
  expect(await inspect(h.url)).toEqual([]);
});

test('bad requests: no recipients, too many, a bad address, an unknown configuration set, two kinds of content', async () => {
  const simple = { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } };
  const send = (extra: Record<string, unknown>) => h.client.send(new SendEmailCommand({ FromEmailAddress: 'shop@example.com', Content: simple, Destination: { ToAddresses: ['a@example.net'] }, ...extra }));
  const none = await failure(send({ Destination: {} }));
  expect(none.name).toBe('BadRequestException');
  expect(none.message).toBe("Missing required header 'To'.");
  const tooMany = await failure(send({ Destination: { ToAddresses: Array.from({ length: 51 }, (_, i) => `r${i}@example.net`) } }));
  expect(tooMany.message).toBe('Recipient count exceeds 50.');
  expect((await failure(send({ Destination: { ToAddresses: ['not-an-address'] } }))).message).toBe("Missing final '@domain'");
  const cs = await failure(send({ ConfigurationSetName: 'ghost' }));
  expect(cs).toBeInstanceOf(NotFoundException);
  expect(cs.message).toBe('Configuration set <ghost> does not exist.');
  const both = await failure(send({ Content: { ...simple, Raw: { Data: Buffer.from('x') } } }));
  expect(both.message).toBe('Content must have exactly one of Simple, Raw or Template.');
  const big = await failure(send({ Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 'x'.repeat(10 * 1024 * 1024) } } } } }));
  expect(big.name).toBe('BadRequestException');
  expect(big.message).toMatch(/^Message length is more than 10485760 bytes long/);
  expect(await inspect(h.url)).toEqual([]);
  // exactly 50 recipients is fine
  await send({ Destination: { ToAddresses: Array.from({ length: 50 }, (_, i) => `r${i}@example.net`) } });
  expect(await inspect(h.url)).toHaveLength(1);
});

test('SendBulkEmail sends one message per entry, replacement data over the defaults', async () => {
  const r = await h.client.send(
    new SendBulkEmailCommand({
      FromEmailAddress: 'shop@example.com',
      DefaultContent: { Template: { TemplateName: 'order-confirmed', TemplateData: JSON.stringify({ name: 'friend', order: { id: 'o', total: '1', items: [] } }) } },
      BulkEmailEntries: [
        { Destination: { ToAddresses: ['ann@example.net'] }, ReplacementEmailContent: { ReplacementTemplate: { ReplacementTemplateData: JSON.stringify({ name: 'Ann' }) } } },
        { Destination: { ToAddresses: ['bob@example.net'] } },
        { Destination: { ToAddresses: [] } },
      ],
    }),
  );
  expect(r.BulkEmailEntryResults!.map((e) => e.Status)).toEqual(['SUCCESS', 'SUCCESS', 'INVALID_PARAMETER']);
  const sent = await inspect(h.url);
  expect(sent.map((m) => m.Body!.text_part)).toEqual(['Hi Ann, your total is 1.', 'Hi friend, your total is 1.']);
});

test('GetAccount reports production access and the quota used', async () => {
  await h.client.send(new SendEmailCommand({ FromEmailAddress: 'shop@example.com', Destination: { ToAddresses: ['a@example.net'] }, Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } } }));
  const a = await h.client.send(new GetAccountCommand({}));
  expect(a.ProductionAccessEnabled).toBe(true);
  expect(a.SendingEnabled).toBe(true);
  expect(a.SendQuota).toEqual({ Max24HourSend: 50000, MaxSendRate: 14, SentLast24Hours: 1 });
});
