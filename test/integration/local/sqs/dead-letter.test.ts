// Dead-letter queues: messages received maxReceiveCount times move to the DLQ on the next
// receive (injected clock), ListDeadLetterSourceQueues, RedriveAllowPolicy, and the DLQ redrive
// API moving them back (StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask).
import {
  CancelMessageMoveTaskCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { ACCOUNT, FakeClock, type Harness, failure, startSqs, waitFor } from './helpers';

let h: Harness;
const clock = new FakeClock();
beforeAll(async () => {
  h = await startSqs({ clock: clock.now });
});
afterAll(async () => {
  await h.stop();
});

const arn = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;

async function pair(source: string, dlq: string, maxReceiveCount = 2): Promise<{ src: string; dead: string }> {
  const dead = (await h.client.send(new CreateQueueCommand({ QueueName: dlq }))).QueueUrl!;
  const src = (
    await h.client.send(
      new CreateQueueCommand({
        QueueName: source,
        Attributes: { VisibilityTimeout: '10', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn(dlq), maxReceiveCount }) },
      }),
    )
  ).QueueUrl!;
  return { src, dead };
}

test('a message received maxReceiveCount times moves to the dead-letter queue', async () => {
  const { src, dead } = await pair('work', 'work-dlq', 2);
  const sent = await h.client.send(new SendMessageCommand({ QueueUrl: src, MessageBody: 'poison', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }));
  for (let i = 0; i < 2; i++) {
    expect((await h.client.send(new ReceiveMessageCommand({ QueueUrl: src }))).Messages).toHaveLength(1);
    clock.advance(10_000);
  }
  // the third receive finds it received twice already: it goes to the DLQ instead
  expect((await h.client.send(new ReceiveMessageCommand({ QueueUrl: src }))).Messages).toBeUndefined();
  const { Messages } = await h.client.send(new ReceiveMessageCommand({ QueueUrl: dead, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }));
  expect(Messages).toHaveLength(1);
  expect(Messages![0]).toMatchObject({ MessageId: sent.MessageId, Body: 'poison', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } });
  expect(Messages![0]!.Attributes).toMatchObject({ DeadLetterQueueSourceArn: arn('work'), ApproximateReceiveCount: '3' });
  const sources = await h.client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dead }));
  expect(sources.queueUrls).toEqual([`${h.url}/${ACCOUNT}/work`]);
});

test('RedriveAllowPolicy decides which queues may use a queue as their DLQ', async () => {
  await h.client.send(
    new CreateQueueCommand({
      QueueName: 'picky-dlq',
      Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [arn('allowed')] }) },
    }),
  );
  const policy = JSON.stringify({ deadLetterTargetArn: arn('picky-dlq'), maxReceiveCount: 1 });
  await h.client.send(new CreateQueueCommand({ QueueName: 'allowed', Attributes: { RedrivePolicy: policy } }));
  const err = await failure(h.client.send(new CreateQueueCommand({ QueueName: 'denied', Attributes: { RedrivePolicy: policy } })));
  expect(err.name).toBe('InvalidParameterValue');
  expect(err.message).toMatch(/does not allow this queue to use it as a dead-letter queue\.$/);
});

test('StartMessageMoveTask moves the dead letters back to their source queue', async () => {
  const { src, dead } = await pair('billing', 'billing-dlq', 1);
  await h.client.send(new SendMessageBatchCommand({ QueueUrl: src, Entries: ['a', 'b', 'c'].map((b) => ({ Id: b, MessageBody: b })) }));
  await h.client.send(new ReceiveMessageCommand({ QueueUrl: src, MaxNumberOfMessages: 10 }));
  clock.advance(10_000);
  expect((await h.client.send(new ReceiveMessageCommand({ QueueUrl: src, MaxNumberOfMessages: 10 }))).Messages).toBeUndefined();
  expect(h.sqs.queueAttributes(dead, ['ApproximateNumberOfMessages'])).toEqual({ ApproximateNumberOfMessages: '3' });

  const notADlq = await failure(h.client.send(new StartMessageMoveTaskCommand({ SourceArn: arn('billing') })));
  expect(notADlq.name).toBe('InvalidParameterValue');
  const { TaskHandle } = await h.client.send(new StartMessageMoveTaskCommand({ SourceArn: arn('billing-dlq') }));
  expect(TaskHandle).toBeDefined();
  const done = await waitFor('the move task to complete', async () => {
    const { Results } = await h.client.send(new ListMessageMoveTasksCommand({ SourceArn: arn('billing-dlq') }));
    return Results?.[0]?.Status === 'COMPLETED' ? Results[0] : undefined;
  });
  expect(done).toEqual({ Status: 'COMPLETED', SourceArn: arn('billing-dlq'), ApproximateNumberOfMessagesMoved: 3, StartedTimestamp: clock.t });
  const back = await h.client.send(new ReceiveMessageCommand({ QueueUrl: src, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
  expect(back.Messages!.map((m) => m.Body).sort()).toEqual(['a', 'b', 'c']);
  // a redriven message starts over: received once now
  expect(back.Messages!.map((m) => m.Attributes!.ApproximateReceiveCount)).toEqual(['1', '1', '1']);
  const attrs = await h.client.send(new GetQueueAttributesCommand({ QueueUrl: dead, AttributeNames: ['ApproximateNumberOfMessages'] }));
  expect(attrs.Attributes).toEqual({ ApproximateNumberOfMessages: '0' });
});

test('a slow move task is listed while it runs and can be cancelled; to an explicit destination too', async () => {
  const { src } = await pair('slow', 'slow-dlq', 1);
  await h.client.send(new CreateQueueCommand({ QueueName: 'elsewhere' }));
  await h.client.send(new SendMessageBatchCommand({ QueueUrl: src, Entries: Array.from({ length: 5 }, (_, i) => ({ Id: `m${i}`, MessageBody: `m${i}` })) }));
  await h.client.send(new ReceiveMessageCommand({ QueueUrl: src, MaxNumberOfMessages: 10 }));
  clock.advance(10_000);
  await h.client.send(new ReceiveMessageCommand({ QueueUrl: src, MaxNumberOfMessages: 10 }));

  const { TaskHandle } = await h.client.send(
    new StartMessageMoveTaskCommand({ SourceArn: arn('slow-dlq'), DestinationArn: arn('elsewhere'), MaxNumberOfMessagesPerSecond: 1 }),
  );
  const running = await waitFor('one message moved', async () => {
    const { Results } = await h.client.send(new ListMessageMoveTasksCommand({ SourceArn: arn('slow-dlq'), MaxResults: 10 }));
    return Results?.[0]?.ApproximateNumberOfMessagesMoved === 1 ? Results[0] : undefined;
  });
  expect(running).toMatchObject({
    TaskHandle,
    Status: 'RUNNING',
    DestinationArn: arn('elsewhere'),
    MaxNumberOfMessagesPerSecond: 1,
    ApproximateNumberOfMessagesToMove: 5,
  });
  const second = await failure(h.client.send(new StartMessageMoveTaskCommand({ SourceArn: arn('slow-dlq') })));
  expect(second.name).toBe('UnsupportedOperation');
  const cancelled = await h.client.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
  expect(cancelled.ApproximateNumberOfMessagesMoved).toBe(1);
  const { Results } = await h.client.send(new ListMessageMoveTasksCommand({ SourceArn: arn('slow-dlq') }));
  expect(Results).toEqual([
    expect.objectContaining({ Status: 'CANCELLED', ApproximateNumberOfMessagesMoved: 1, DestinationArn: arn('elsewhere') }),
  ]);
  expect(Results![0]!.TaskHandle).toBeUndefined();
  expect(h.sqs.queueAttributes('elsewhere', ['ApproximateNumberOfMessages'])).toEqual({ ApproximateNumberOfMessages: '1' });
  expect(h.sqs.queueAttributes('slow-dlq', ['ApproximateNumberOfMessages'])).toEqual({ ApproximateNumberOfMessages: '4' });
});
