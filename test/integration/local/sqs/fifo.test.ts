// FIFO queues: order within a message group, one in-flight batch per group, deduplication
// (explicit and content-based) over five minutes, sequence numbers, ReceiveRequestAttemptId.
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { FakeClock, type Harness, failure, startSqs } from './helpers';

let h: Harness;
const clock = new FakeClock();
beforeAll(async () => {
  h = await startSqs({ clock: clock.now });
});
afterAll(async () => {
  await h.stop();
});

async function fifo(name: string, attrs: Record<string, string> = {}): Promise<string> {
  return (await h.client.send(new CreateQueueCommand({ QueueName: name, Attributes: { FifoQueue: 'true', ...attrs } }))).QueueUrl!;
}

test('a FIFO queue needs the .fifo name and FIFO parameters', async () => {
  const badName = await failure(h.client.send(new CreateQueueCommand({ QueueName: 'plain', Attributes: { FifoQueue: 'true' } })));
  expect(badName.message).toBe(
    'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
  );
  const QueueUrl = await fifo('rules.fifo');
  expect((await failure(h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageDeduplicationId: 'd' })))).message).toBe(
    'The request must contain the parameter MessageGroupId.',
  );
  expect((await failure(h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g' })))).message).toBe(
    'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
  );
  const delay = await failure(h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd', DelaySeconds: 3 })));
  expect(delay.name).toBe('InvalidParameterValue');
});

test('messages of a group come in order, one in-flight batch per group', async () => {
  const QueueUrl = await fifo('orders.fifo', { ContentBasedDeduplication: 'true', VisibilityTimeout: '30' });
  await h.client.send(
    new SendMessageBatchCommand({
      QueueUrl,
      Entries: ['a1', 'b1', 'a2', 'a3', 'b2'].map((body) => ({ Id: body, MessageBody: body, MessageGroupId: body[0] })),
    }),
  );
  const first = await h.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 2, MessageSystemAttributeNames: ['MessageGroupId', 'SequenceNumber'] }));
  expect(first.Messages!.map((m) => m.Body)).toEqual(['a1', 'a2']);
  expect(first.Messages!.map((m) => m.Attributes!.MessageGroupId)).toEqual(['a', 'a']);
  const seqs = first.Messages!.map((m) => BigInt(m.Attributes!.SequenceNumber!));
  expect(seqs[1]! > seqs[0]!).toBe(true);
  // group a is locked while a1 and a2 are in flight; b is free
  const second = await h.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
  expect(second.Messages!.map((m) => m.Body)).toEqual(['b1', 'b2']);
  expect((await h.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages).toBeUndefined();
  for (const m of first.Messages!) await h.client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
  expect((await h.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages!.map((m) => m.Body)).toEqual(['a3']);
  // b's batch and a3 time out and come back, each group in order (groups in no promised order)
  clock.advance(30_000);
  const bodies = (await h.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages!.map((m) => m.Body!);
  expect(bodies.filter((b) => b.startsWith('b'))).toEqual(['b1', 'b2']);
  expect(bodies.sort()).toEqual(['a3', 'b1', 'b2']);
});

test('deduplication: the same id within five minutes is accepted once', async () => {
  const QueueUrl = await fifo('dedup.fifo');
  const one = await h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'first', MessageGroupId: 'g', MessageDeduplicationId: 'same' }));
  const two = await h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'second', MessageGroupId: 'g', MessageDeduplicationId: 'same' }));
  expect(two.MessageId).toBe(one.MessageId);
  expect(two.SequenceNumber).toBe(one.SequenceNumber);
  const got = await h.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
  expect(got.Messages!.map((m) => m.Body)).toEqual(['first']);
  await h.client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: got.Messages![0]!.ReceiptHandle }));
  // still a duplicate after the original was deleted, until the window ends
  clock.advance(4 * 60_000);
  await h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'third', MessageGroupId: 'g', MessageDeduplicationId: 'same' }));
  expect((await h.client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
  clock.advance(60_000);
  const fresh = await h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'fourth', MessageGroupId: 'g', MessageDeduplicationId: 'same' }));
  expect(fresh.MessageId).not.toBe(one.MessageId);
  expect((await h.client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages!.map((m) => m.Body)).toEqual(['fourth']);
});

test('content-based deduplication uses the body', async () => {
  const QueueUrl = await fifo('content.fifo', { ContentBasedDeduplication: 'true' });
  const a = await h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'same body', MessageGroupId: 'g1' }));
  const b = await h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'same body', MessageGroupId: 'g2' }));
  expect(b.MessageId).toBe(a.MessageId);
  await h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'other body', MessageGroupId: 'g1' }));
  expect((await h.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages!.map((m) => m.Body)).toEqual(['same body', 'other body']);
});

test('a receive retried with the same ReceiveRequestAttemptId gets the same messages and handles', async () => {
  const QueueUrl = await fifo('attempts.fifo', { ContentBasedDeduplication: 'true' });
  await h.client.send(new SendMessageBatchCommand({ QueueUrl, Entries: ['x', 'y'].map((b) => ({ Id: b, MessageBody: b, MessageGroupId: 'g' })) }));
  const a = await h.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, ReceiveRequestAttemptId: 'attempt-1' }));
  const b = await h.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, ReceiveRequestAttemptId: 'attempt-1' }));
  expect(b.Messages!.map((m) => m.ReceiptHandle)).toEqual(a.Messages!.map((m) => m.ReceiptHandle));
  expect((await h.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, ReceiveRequestAttemptId: 'attempt-2' }))).Messages).toBeUndefined();
});

test('FIFO redrive keeps group order into a FIFO dead-letter queue', async () => {
  const dlq = await fifo('fifo-dlq.fifo');
  const src = await fifo('fifo-src.fifo', {
    ContentBasedDeduplication: 'true',
    VisibilityTimeout: '5',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:fifo-dlq.fifo', maxReceiveCount: 1 }),
  });
  await h.client.send(new SendMessageBatchCommand({ QueueUrl: src, Entries: ['p', 'q'].map((b) => ({ Id: b, MessageBody: b, MessageGroupId: 'g' })) }));
  await h.client.send(new ReceiveMessageCommand({ QueueUrl: src, MaxNumberOfMessages: 10 }));
  clock.advance(5_000);
  expect((await h.client.send(new ReceiveMessageCommand({ QueueUrl: src, MaxNumberOfMessages: 10 }))).Messages).toBeUndefined();
  expect((await h.client.send(new ReceiveMessageCommand({ QueueUrl: dlq, MaxNumberOfMessages: 10 }))).Messages!.map((m) => m.Body)).toEqual(['p', 'q']);
  const standardDlq = await failure(
    h.client.send(
      new CreateQueueCommand({
        QueueName: 'mixed.fifo',
        Attributes: { FifoQueue: 'true', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:plain-dlq', maxReceiveCount: 1 }) },
      }),
    ),
  );
  expect(standardDlq.name).toBe('InvalidParameterValue');
});
