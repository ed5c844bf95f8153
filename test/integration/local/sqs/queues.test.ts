// Queue management through @aws-sdk/client-sqs (AWS JSON 1.0): create, URL, attributes, list with
// prefix and pages, tags, delete, purge, and the errors' wire shapes.
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueueTagsCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  QueueDoesNotExist,
  QueueNameExists,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  UntagQueueCommand,
  paginateListQueues,
} from '@aws-sdk/client-sqs';
import { ACCOUNT, FakeClock, type Harness, failure, rawJson, startSqs } from './helpers';

let h: Harness;
const clock = new FakeClock();
beforeAll(async () => {
  h = await startSqs({ clock: clock.now });
});
afterAll(async () => {
  await h.stop();
});

test('CreateQueue answers a URL on the edge; the defaults are AWS defaults', async () => {
  const { QueueUrl } = await h.client.send(new CreateQueueCommand({ QueueName: 'orders' }));
  expect(QueueUrl).toBe(`${h.url}/${ACCOUNT}/orders`);
  const { Attributes } = await h.client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
  const created = String(Math.floor(clock.t / 1000));
  expect(Attributes).toEqual({
    QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:orders`,
    ApproximateNumberOfMessages: '0',
    ApproximateNumberOfMessagesNotVisible: '0',
    ApproximateNumberOfMessagesDelayed: '0',
    CreatedTimestamp: created,
    LastModifiedTimestamp: created,
    VisibilityTimeout: '30',
    MaximumMessageSize: '1048576',
    MessageRetentionPeriod: '345600',
    DelaySeconds: '0',
    ReceiveMessageWaitTimeSeconds: '0',
    SqsManagedSseEnabled: 'true',
  });
  // creating it again with the same attributes is a no-op that returns the same URL
  expect((await h.client.send(new CreateQueueCommand({ QueueName: 'orders', Attributes: { VisibilityTimeout: '30' } }))).QueueUrl).toBe(QueueUrl);
  const err = await failure(h.client.send(new CreateQueueCommand({ QueueName: 'orders', Attributes: { VisibilityTimeout: '31' } })));
  expect(err).toBeInstanceOf(QueueNameExists);
  expect(err.message).toBe('A queue already exists with the same name and a different value for attribute VisibilityTimeout');
  expect((await h.client.send(new GetQueueUrlCommand({ QueueName: 'orders' }))).QueueUrl).toBe(QueueUrl);
});

test('GetQueueAttributes counts visible, in-flight and delayed messages', async () => {
  const { QueueUrl } = await h.client.send(new CreateQueueCommand({ QueueName: 'counted' }));
  await h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a' }));
  await h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'b' }));
  await h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'c', DelaySeconds: 60 }));
  await h.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1 }));
  const { Attributes } = await h.client.send(
    new GetQueueAttributesCommand({
      QueueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed', 'QueueArn'],
    }),
  );
  expect(Attributes).toEqual({
    ApproximateNumberOfMessages: '1',
    ApproximateNumberOfMessagesNotVisible: '1',
    ApproximateNumberOfMessagesDelayed: '1',
    QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:counted`,
  });
  // a minute later the delay (60 s) and the visibility timeout (30 s) have both passed
  clock.advance(60_000);
  expect(h.sqs.queueAttributes(QueueUrl!, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'])).toEqual({
    ApproximateNumberOfMessages: '3',
    ApproximateNumberOfMessagesNotVisible: '0',
    ApproximateNumberOfMessagesDelayed: '0',
  });
});

test('SetQueueAttributes changes attributes; bad names and values are refused as AWS refuses them', async () => {
  const { QueueUrl } = await h.client.send(new CreateQueueCommand({ QueueName: 'tuned', Attributes: { DelaySeconds: '5' } }));
  clock.advance(2000);
  await h.client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { VisibilityTimeout: '120', MessageRetentionPeriod: '60' } }));
  const { Attributes } = await h.client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout', 'MessageRetentionPeriod', 'DelaySeconds', 'LastModifiedTimestamp'] }));
  expect(Attributes).toEqual({ VisibilityTimeout: '120', MessageRetentionPeriod: '60', DelaySeconds: '5', LastModifiedTimestamp: String(Math.floor(clock.t / 1000)) });

  const badName = await failure(h.client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { VisibilityTimeOut: '1' } as Record<string, string> })));
  expect(badName.name).toBe('InvalidAttributeName');
  expect(badName.message).toBe('Unknown Attribute VisibilityTimeOut.');
  const badValue = await failure(h.client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { VisibilityTimeout: '43201' } })));
  expect(badValue.name).toBe('InvalidAttributeValue');
  expect(badValue.message).toBe('Invalid value for the parameter VisibilityTimeout.');
  const fifoOnly = await failure(h.client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { ContentBasedDeduplication: 'true' } })));
  expect(fifoOnly.name).toBe('InvalidAttributeName');
  const badRedrive = await failure(
    h.client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:nope`, maxReceiveCount: 3 }) } })),
  );
  expect(badRedrive.name).toBe('InvalidParameterValue');
  expect(badRedrive.message).toMatch(/Reason: Dead letter target does not exist\.$/);
  const badQueueName = await failure(h.client.send(new CreateQueueCommand({ QueueName: 'has space' })));
  expect(badQueueName.name).toBe('InvalidParameterValue');
  expect(badQueueName.message).toBe('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
});

test('an unknown queue is QueueDoesNotExist, on the wire as AWS sends it', async () => {
  const url = `${h.url}/${ACCOUNT}/missing`;
  const err = await failure(h.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] })));
  expect(err).toBeInstanceOf(QueueDoesNotExist);
  expect(err.message).toBe('The specified queue does not exist.');
  expect(err.$metadata?.httpStatusCode).toBe(400);
  expect((err as unknown as { Error: { Code: string; Type: string } }).Error).toMatchObject({ Code: 'AWS.SimpleQueueService.NonExistentQueue', Type: 'Sender' });
  expect(await failure(h.client.send(new GetQueueUrlCommand({ QueueName: 'missing' })))).toBeInstanceOf(QueueDoesNotExist);

  const raw = await rawJson(h.url, 'SendMessage', { QueueUrl: url, MessageBody: 'x' });
  expect(raw.status).toBe(400);
  expect(raw.headers.get('x-amzn-query-error')).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender');
  expect(raw.headers.get('content-type')).toBe('application/x-amz-json-1.0');
  expect(raw.json).toEqual({ __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' });

  const unknownOp = await rawJson(h.url, 'FlyToTheMoon', {});
  expect(unknownOp.status).toBe(400);
  expect(unknownOp.json.__type).toBe('com.amazon.coral.service#UnknownOperationException');
  const missing = await rawJson(h.url, 'GetQueueUrl', {});
  expect(missing.headers.get('x-amzn-query-error')).toBe('MissingParameter;Sender');
  expect(missing.json.message).toBe('The request must contain the parameter QueueName.');
});

test('ListQueues filters by prefix and pages with MaxResults and NextToken', async () => {
  for (const n of ['page-a', 'page-b', 'page-c', 'page-d', 'page-e']) await h.client.send(new CreateQueueCommand({ QueueName: n }));
  const first = await h.client.send(new ListQueuesCommand({ QueueNamePrefix: 'page-', MaxResults: 2 }));
  expect(first.QueueUrls).toEqual([`${h.url}/${ACCOUNT}/page-a`, `${h.url}/${ACCOUNT}/page-b`]);
  expect(first.NextToken).toBeDefined();
  const all: string[] = [];
  for await (const page of paginateListQueues({ client: h.client, pageSize: 2 }, { QueueNamePrefix: 'page-' })) all.push(...(page.QueueUrls ?? []));
  expect(all.map((u) => u.split('/').pop())).toEqual(['page-a', 'page-b', 'page-c', 'page-d', 'page-e']);
  const none = await h.client.send(new ListQueuesCommand({ QueueNamePrefix: 'zzz' }));
  expect(none.QueueUrls).toBeUndefined();
  expect(none.NextToken).toBeUndefined();
});

test('tags, purge (once a minute) and delete', async () => {
  const { QueueUrl } = await h.client.send(new CreateQueueCommand({ QueueName: 'tagged', tags: { team: 'orders' } }));
  await h.client.send(new TagQueueCommand({ QueueUrl, Tags: { env: 'local', tier: 'gold' } }));
  await h.client.send(new UntagQueueCommand({ QueueUrl, TagKeys: ['tier'] }));
  expect((await h.client.send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({ team: 'orders', env: 'local' });

  await h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
  await h.client.send(new PurgeQueueCommand({ QueueUrl }));
  expect(h.sqs.queueAttributes(QueueUrl!, ['ApproximateNumberOfMessages'])).toEqual({ ApproximateNumberOfMessages: '0' });
  const again = await failure(h.client.send(new PurgeQueueCommand({ QueueUrl })));
  expect(again.name).toBe('PurgeQueueInProgress');
  clock.advance(60_000);
  await h.client.send(new PurgeQueueCommand({ QueueUrl }));

  await h.client.send(new DeleteQueueCommand({ QueueUrl }));
  expect(await failure(h.client.send(new ListQueueTagsCommand({ QueueUrl })))).toBeInstanceOf(QueueDoesNotExist);
});

test('queue URLs in the other forms name the same queue (deployer, LocalStack, ARN-less path)', async () => {
  await h.client.send(new CreateQueueCommand({ QueueName: 'forms' }));
  for (const QueueUrl of [
    `http://sqs.us-east-1.localhost/${ACCOUNT}/forms`,
    `http://sqs.us-east-1.localhost.localstack.cloud:4566/${ACCOUNT}/forms`,
    `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/forms`,
  ]) {
    const r = await h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: QueueUrl }));
    expect(r.MessageId).toMatch(/^[0-9a-f-]{36}$/);
  }
  expect(h.sqs.queueAttributes('forms', ['ApproximateNumberOfMessages'])).toEqual({ ApproximateNumberOfMessages: '3' });
  const otherAccount = await failure(h.client.send(new SendMessageCommand({ QueueUrl: `${h.url}/123456789012/forms`, MessageBody: 'x' })));
  expect(otherAccount).toBeInstanceOf(QueueDoesNotExist);
});
