// Long polling on the real clock: a waiting ReceiveMessage answers as soon as a message arrives,
// waits its full WaitTimeSeconds when none does, and the queue's ReceiveMessageWaitTimeSeconds
// applies when the request sets none.
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { type Harness, startSqs } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startSqs();
});
afterAll(async () => {
  await h.stop();
});

test('a long poll returns as soon as a message is sent', async () => {
  const { QueueUrl } = await h.client.send(new CreateQueueCommand({ QueueName: 'long' }));
  const started = Date.now();
  const waiting = h.client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
  await new Promise((r) => setTimeout(r, 300));
  await h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'arrived' }));
  const { Messages } = await waiting;
  const took = Date.now() - started;
  expect(Messages!.map((m) => m.Body)).toEqual(['arrived']);
  expect(took).toBeGreaterThanOrEqual(300);
  expect(took).toBeLessThan(2_000);
});

test('a long poll with nothing to receive waits WaitTimeSeconds; the queue default applies', async () => {
  const { QueueUrl } = await h.client.send(new CreateQueueCommand({ QueueName: 'quiet', Attributes: { ReceiveMessageWaitTimeSeconds: '1' } }));
  let started = Date.now();
  expect((await h.client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
  expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  started = Date.now();
  expect((await h.client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }))).Messages).toBeUndefined();
  expect(Date.now() - started).toBeLessThan(500);
});

test('a message whose delay ends during a long poll is delivered to it', async () => {
  const { QueueUrl } = await h.client.send(new CreateQueueCommand({ QueueName: 'delay-during-poll' }));
  await h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'later', DelaySeconds: 1 }));
  const started = Date.now();
  const { Messages } = await h.client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
  expect(Messages!.map((m) => m.Body)).toEqual(['later']);
  expect(Date.now() - started).toBeLessThan(2_500);
});

test('several waiting receivers share the messages sent while they wait', async () => {
  const { QueueUrl } = await h.client.send(new CreateQueueCommand({ QueueName: 'shared' }));
  const waiters = Array.from({ length: 3 }, () => h.client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 })));
  await new Promise((r) => setTimeout(r, 200));
  for (const b of ['1', '2', '3']) await h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: b }));
  const got = (await Promise.all(waiters)).flatMap((r) => (r.Messages ?? []).map((m) => m.Body));
  expect(got.sort()).toEqual(['1', '2', '3']);
});

test('on a FIFO queue, deleting a group\'s in-flight message hands the next one to a waiting long poll', async () => {
  const { DeleteMessageCommand, SendMessageBatchCommand } = await import('@aws-sdk/client-sqs');
  const { QueueUrl } = await h.client.send(new CreateQueueCommand({ QueueName: 'groups.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }));
  await h.client.send(new SendMessageBatchCommand({ QueueUrl, Entries: ['first', 'second'].map((b) => ({ Id: b, MessageBody: b, MessageGroupId: 'g' })) }));
  const first = await h.client.send(new ReceiveMessageCommand({ QueueUrl }));
  expect(first.Messages!.map((m) => m.Body)).toEqual(['first']);
  const waiting = h.client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10 }));
  await new Promise((r) => setTimeout(r, 200));
  const started = Date.now();
  await h.client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first.Messages![0]!.ReceiptHandle }));
  expect((await waiting).Messages!.map((m) => m.Body)).toEqual(['second']);
  expect(Date.now() - started).toBeLessThan(500);
});
