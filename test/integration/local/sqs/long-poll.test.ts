// Long polling on the real clock: a waiting ReceiveMessage answers as soon as a message arrives,
// waits its full WaitTimeSeconds when none does, and the queue's ReceiveMessageWaitTimeSeconds
// applies when the request sets none.
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { until } from '../../../support/poll';
import { type Harness, startSqs } from './helpers';

/** Waits until `n` long polls are parked on the queue (so that what is sent next wakes them, not finds them late). */
const parked = (queue: string, n = 1) => until(`${n} receiver(s) waiting on ${queue}`, () => h.sqs.waitingReceivers(queue) >= n, { intervalMs: 5 });

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
  await parked('long');
  await h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'arrived' }));
  const { Messages } = await waiting;
  expect(Messages!.map((m) => m.Body)).toEqual(['arrived']);
  // far sooner than its 20 s: the send woke it
  expect(Date.now() - started).toBeLessThan(10_000);
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
  await parked('shared', 3);
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
  await parked('groups.fifo');
  const started = Date.now();
  await h.client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first.Messages![0]!.ReceiptHandle }));
  expect((await waiting).Messages!.map((m) => m.Body)).toEqual(['second']);
  // at once, not at the poll's next one-second look
  expect(Date.now() - started).toBeLessThan(900);
});
