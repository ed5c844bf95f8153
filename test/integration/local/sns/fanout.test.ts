// Fan-out through @aws-sdk/client-sns into the local SQS (read back with @aws-sdk/client-sqs):
// the JSON envelope, raw delivery, filter policies on attributes and on the body, the Lambda
// event, email confirmation by token, MessageStructure=json, FIFO, PublishBatch, and
// subscription dead-letter queues.
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  PublishBatchCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ACCOUNT, type Harness, failure, getJson, startSns, waitFor } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startSns();
});
afterAll(async () => {
  await h.stop();
});

async function queue(name: string, attrs?: Record<string, string>): Promise<{ url: string; arn: string }> {
  const url = (await h.sqsClient.send(new CreateQueueCommand({ QueueName: name, Attributes: attrs }))).QueueUrl!;
  return { url, arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}` };
}

async function drain(url: string): Promise<Array<{ Body: string; MessageAttributes?: Record<string, { DataType?: string; StringValue?: string }> }>> {
  const r = await h.sqsClient.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], VisibilityTimeout: 300 }));
  return (r.Messages ?? []) as Array<{ Body: string }>;
}

async function topic(name: string, attrs?: Record<string, string>): Promise<string> {
  return (await h.client.send(new CreateTopicCommand({ Name: name, Attributes: attrs }))).TopicArn!;
}

test('SQS subscribers get the SNS JSON envelope, or the raw message with its attributes', async () => {
  const TopicArn = await topic('events');
  const plain = await queue('plain');
  const raw = await queue('raw');
  const sub = await h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: plain.arn }));
  expect(sub.SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:[0-9a-f-]{36}$`));
  await h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: raw.arn, Attributes: { RawMessageDelivery: 'true' } }));
  const { MessageId } = await h.client.send(
    new PublishCommand({ TopicArn, Message: '{"order_id":"o-1"}', Subject: 'Order', MessageAttributes: { type: { DataType: 'String', StringValue: 'order.confirmed' }, n: { DataType: 'Number', StringValue: '3' } } }),
  );
  const [m] = await drain(plain.url);
  expect(m!.Body).toMatch(/^\{\n {2}"Type" : "Notification",\n {2}"MessageId" : "/);
  const env = JSON.parse(m!.Body) as Record<string, unknown>;
  expect(env).toEqual({
    Type: 'Notification',
    MessageId,
    TopicArn,
    Subject: 'Order',
    Message: '{"order_id":"o-1"}',
    Timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    SignatureVersion: '1',
    Signature: expect.stringMatching(/^[A-Za-z0-9+/=]{344}$/),
    SigningCertURL: expect.stringMatching(/^https:\/\/sns\.us-east-1\.amazonaws\.com\/SimpleNotificationService-.*\.pem$/),
    UnsubscribeURL: `${h.url}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(sub.SubscriptionArn!)}`,
    MessageAttributes: { type: { Type: 'String', Value: 'order.confirmed' }, n: { Type: 'Number', Value: '3' } },
  });
  const [r] = await drain(raw.url);
  expect(r!.Body).toBe('{"order_id":"o-1"}');
  expect(r!.MessageAttributes).toEqual({ type: { DataType: 'String', StringValue: 'order.confirmed' }, n: { DataType: 'Number', StringValue: '3' } });

  // the UnsubscribeURL works against the edge
  const un = await fetch(env.UnsubscribeURL as string);
  expect(un.status).toBe(200);
  expect(await un.text()).toContain('<UnsubscribeResponse');
  expect((await h.client.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions!.map((s) => s.Endpoint)).toEqual([raw.arn]);
});

test('filter policies on message attributes and on the body decide who gets what', async () => {
  const TopicArn = await topic('filtered');
  const q = {
    confirmed: await queue('f-confirmed'),
    big: await queue('f-big'),
    notEu: await queue('f-not-eu'),
    either: await queue('f-either'),
    body: await queue('f-body'),
  };
  const sub = (endpoint: string, policy: unknown, scope?: string) =>
    h.client.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: endpoint,
        Attributes: { RawMessageDelivery: 'true', FilterPolicy: JSON.stringify(policy), ...(scope ? { FilterPolicyScope: scope } : {}) },
      }),
    );
  await sub(q.confirmed.arn, { type: ['order.confirmed'] });
  await sub(q.big.arn, { total: [{ numeric: ['>=', 100] }], type: [{ prefix: 'order.' }] });
  await sub(q.notEu.arn, { region: [{ 'anything-but': ['eu'] }] });
  await sub(q.either.arn, { $or: [{ type: ['order.cancelled'] }, { vip: [{ exists: true }] }] });
  await sub(q.body.arn, { order: { status: ['confirmed'], total: [{ numeric: ['>', 10] }] } }, 'MessageBody');

  const publish = (body: unknown, attrs: Record<string, [string, string]>) =>
    h.client.send(
      new PublishCommand({
        TopicArn,
        Message: typeof body === 'string' ? body : JSON.stringify(body),
        MessageAttributes: Object.fromEntries(Object.entries(attrs).map(([k, [DataType, StringValue]]) => [k, { DataType, StringValue }])),
      }),
    );
  await publish({ id: 1, order: { status: 'confirmed', total: 250 } }, { type: ['String', 'order.confirmed'], total: ['Number', '250'], region: ['String', 'us'] });
  await publish({ id: 2, order: { status: 'cancelled', total: 5 } }, { type: ['String', 'order.cancelled'], total: ['Number', '5'], region: ['String', 'eu'] });
  await publish({ id: 3, order: { status: 'confirmed', total: 20 } }, { type: ['String', 'payment.refunded'], vip: ['String', 'yes'] });
  await publish('not json', { type: ['String', 'order.confirmed'] });

  const ids = async (url: string) => (await drain(url)).map((m) => (m.Body.startsWith('{') ? (JSON.parse(m.Body) as { id: number }).id : m.Body)).sort();
  expect(await ids(q.confirmed.url)).toEqual([1, 'not json']);
  expect(await ids(q.big.url)).toEqual([1]);
  expect(await ids(q.notEu.url)).toEqual([1]); // anything-but needs the attribute to be there
  expect(await ids(q.either.url)).toEqual([2, 3]);
  expect(await ids(q.body.url)).toEqual([1, 3]);

  const bad = await failure(h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: (await queue('f-bad')).arn, Attributes: { FilterPolicy: '{"type": "x"}' } })));
  expect(bad.name).toBe('InvalidParameterException');
  expect(bad.message).toBe('Invalid parameter: FilterPolicy: "type" must be an object or an array');
});

test('Lambda subscribers get the event SNS sends Lambda; failures are retried', async () => {
  const TopicArn = await topic('to-lambda');
  const fn = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:notify`;
  const { SubscriptionArn } = await h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: fn }));
  const { MessageId } = await h.client.send(new PublishCommand({ TopicArn, Message: 'hello', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }));
  const inv = await waitFor('the invocation', () => h.invocations.find((i) => i.event.Records[0]!.Sns.MessageId === MessageId));
  expect(inv.functionArn).toBe(fn);
  expect(inv.event.Records[0]).toEqual({
    EventSource: 'aws:sns',
    EventVersion: '1.0',
    EventSubscriptionArn: SubscriptionArn,
    Sns: {
      Type: 'Notification',
      MessageId,
      TopicArn,
      Subject: null,
      Message: 'hello',
      Timestamp: expect.any(String),
      SignatureVersion: '1',
      Signature: expect.any(String),
      SigningCertUrl: expect.any(String),
      UnsubscribeUrl: expect.stringContaining('Action=Unsubscribe'),
      MessageAttributes: { k: { Type: 'String', Value: 'v' } },
    },
  });
  const raw = await failure(h.client.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'RawMessageDelivery', AttributeValue: 'true' })));
  expect(raw.message).toBe('Invalid parameter: Attributes Reason: Delivery protocol [lambda] does not support raw message delivery.');
});

test('a failed delivery goes to the subscription\'s dead-letter queue', async () => {
  const TopicArn = await topic('with-dlq');
  const dlq = await queue('sub-dlq');
  const fn = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:broken`;
  h.failing.add(fn);
  await h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: fn, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) } }));
  // a queue that does not exist (deleted after subscribing): delivery fails at once
  await h.client.send(
    new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:gone`, Attributes: { RawMessageDelivery: 'true', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) } }),
  );
  await h.client.send(new PublishCommand({ TopicArn, Message: 'undeliverable' }));
  const bodies = await waitFor('both dead letters', async () => {
    await h.sns.idle();
    const got = await drain(dlq.url);
    return got.length ? got.map((m) => m.Body) : undefined;
  }, 15_000);
  const all = [...bodies, ...(await drain(dlq.url)).map((m) => m.Body)];
  expect(all).toHaveLength(2);
  expect(all).toContain('undeliverable');
  expect(all.some((b) => b.includes('"EventSource":"aws:sns"'))).toBe(true);
  h.failing.delete(fn);
});

test('email subscriptions wait for ConfirmSubscription with the token SNS mailed them', async () => {
  const TopicArn = await topic('mail');
  const pending = await h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'email-json', Endpoint: 'ann@example.com' }));
  expect(pending.SubscriptionArn).toBe('pending confirmation');
  const withArn = await h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'bob@example.com', ReturnSubscriptionArn: true }));
  const listed = (await h.client.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions!;
  expect(listed.map((s) => s.SubscriptionArn)).toEqual(['PendingConfirmation', 'PendingConfirmation']);
  await h.client.send(new PublishCommand({ TopicArn, Message: 'before confirmation' }));

  const token = await getJson<{ subscription_token: string; subscription_arn: string }>(`${h.url}/_aws/sns/subscription-tokens/${encodeURIComponent(withArn.SubscriptionArn!)}`);
  expect(token.status).toBe(200);
  expect(token.body.subscription_arn).toBe(withArn.SubscriptionArn);
  const confirmed = await h.client.send(new ConfirmSubscriptionCommand({ TopicArn, Token: token.body.subscription_token }));
  expect(confirmed.SubscriptionArn).toBe(withArn.SubscriptionArn);
  expect((await h.client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: withArn.SubscriptionArn }))).Attributes).toMatchObject({ PendingConfirmation: 'false', Protocol: 'email' });
  expect((await failure(h.client.send(new ConfirmSubscriptionCommand({ TopicArn, Token: 'nope' })))).message).toBe('Invalid parameter: Token');

  await h.client.send(new PublishCommand({ TopicArn, Message: 'after confirmation', Subject: 'News' }));
  const mails = await getJson<{ email_messages: Record<string, Array<{ Message: string; Subject: string }>> }>(`${h.url}/_aws/sns/email-messages`);
  // ann got only the confirmation request (still pending); bob the request, then the message
  expect(mails.body.email_messages['ann@example.com']!.map((m) => (JSON.parse(m.Message) as { Type: string }).Type)).toEqual(['SubscriptionConfirmation']);
  expect(mails.body.email_messages['bob@example.com']!.map((m) => [m.Subject, m.Message.startsWith('{') ? 'confirmation' : m.Message])).toEqual([
    ['AWS Notification - Subscription Confirmation', 'confirmation'],
    ['News', 'after confirmation'],
  ]);
  expect((await getJson(`${h.url}/_aws/sns/subscription-tokens/not-an-arn`)).status).toBe(400);
  await h.client.send(new UnsubscribeCommand({ SubscriptionArn: withArn.SubscriptionArn }));
  expect((await getJson(`${h.url}/_aws/sns/subscription-tokens/${encodeURIComponent(withArn.SubscriptionArn!)}`)).status).toBe(404);
});

test('MessageStructure=json gives each protocol its own text', async () => {
  const TopicArn = await topic('structured');
  const q = await queue('structured-q');
  await h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
  await h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'sms', Endpoint: '+15555550123' }));
  await h.client.send(new PublishCommand({ TopicArn, MessageStructure: 'json', Message: JSON.stringify({ default: 'plain', sqs: 'for queues', sms: 'short' }) }));
  expect((await drain(q.url)).map((m) => m.Body)).toEqual(['for queues']);
  const sms = await getJson<{ sms_messages: Record<string, Array<{ Message: string; TopicArn: string }>> }>(`${h.url}/_aws/sns/sms-messages?phoneNumber=%2B15555550123`);
  expect(sms.body.sms_messages['+15555550123']!.map((m) => [m.Message, m.TopicArn])).toEqual([['short', TopicArn]]);
  const noDefault = await failure(h.client.send(new PublishCommand({ TopicArn, MessageStructure: 'json', Message: '{"sqs":"x"}' })));
  expect(noDefault.message).toBe('Invalid parameter: Message Structure - No default entry in JSON message body');
});

test('FIFO topics deliver in order into FIFO queues, deduplicated', async () => {
  const TopicArn = await topic('saga-events.fifo', { FifoTopic: 'true', ContentBasedDeduplication: 'true' });
  const q = await queue('saga-events.fifo', { FifoQueue: 'true' });
  await h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
  const lambda = await failure(h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:x` })));
  expect(lambda.message).toBe('Invalid parameter: Invalid protocol type: lambda');
  const a = await h.client.send(new PublishCommand({ TopicArn, Message: 'step-1', MessageGroupId: 'order-1' }));
  await h.client.send(new PublishCommand({ TopicArn, Message: 'step-2', MessageGroupId: 'order-1' }));
  const dup = await h.client.send(new PublishCommand({ TopicArn, Message: 'step-1', MessageGroupId: 'order-1' }));
  expect(dup.MessageId).toBe(a.MessageId);
  expect(dup.SequenceNumber).toBe(a.SequenceNumber);
  expect((await drain(q.url)).map((m) => m.Body)).toEqual(['step-1', 'step-2']);
  const noGroup = await failure(h.client.send(new PublishCommand({ TopicArn, Message: 'x' })));
  expect(noGroup.message).toBe('Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
});

test('PublishBatch publishes each entry and reports failures per entry', async () => {
  const TopicArn = await topic('batch');
  const q = await queue('batch-q');
  await h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
  const r = await h.client.send(
    new PublishBatchCommand({
      TopicArn,
      PublishBatchRequestEntries: [
        { Id: 'a', Message: 'one' },
        { Id: 'b', Message: 'two', Subject: 'bad\nsubject' },
        { Id: 'c', Message: 'three', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
      ],
    }),
  );
  expect(r.Successful!.map((s) => s.Id)).toEqual(['a', 'c']);
  expect(r.Failed).toEqual([{ Id: 'b', Code: 'InvalidParameter', Message: 'Invalid parameter: Subject', SenderFault: true }]);
  expect((await drain(q.url)).map((m) => m.Body).sort()).toEqual(['one', 'three']);
  expect((await failure(h.client.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [] })))).name).toBe('EmptyBatchRequestException');
  const dupIds = await failure(h.client.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'x', Message: '1' }, { Id: 'x', Message: '2' }] })));
  expect(dupIds.name).toBe('BatchEntryIdsNotDistinctException');
});
