// Messages through @aws-sdk/client-sqs: send, receive, delete, batches with per-entry failures,
// the MD5 digests, attributes, visibility timeouts and delays on an injected clock, long polling.
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { createHash } from 'node:crypto';
import { ACCOUNT, FakeClock, type Harness, failure, rawJson, startSqs } from './helpers';

let h: Harness;
const clock = new FakeClock();
beforeAll(async () => {
  h = await startSqs({ clock: clock.now });
});
afterAll(async () => {
  await h.stop();
});

async function queue(name: string, Attributes?: Record<string, string>): Promise<string> {
  return (await h.client.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
}

test('send, receive and delete with the digests AWS computes', async () => {
  const QueueUrl = await queue('basic');
  const body = 'héllo wörld ✓';
  const sent = await h.client.send(
    new SendMessageCommand({
      QueueUrl,
      MessageBody: body,
      MessageAttributes: {
        ordinal: { DataType: 'Number', StringValue: '1' },
        category: { DataType: 'String', StringValue: 'test' },
      },
      MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1' } },
    }),
  );
  expect(sent.MD5OfMessageBody).toBe(createHash('md5').update(body, 'utf8').digest('hex'));
  // the digest of these two attributes as the Go SDK's checker computes it
  expect(sent.MD5OfMessageAttributes).toBe('d21ae90c49061e927f57df5f5d72be1f');
  expect(sent.MD5OfMessageSystemAttributes).toMatch(/^[0-9a-f]{32}$/);

  clock.advance(5);
  const { Messages } = await h.client.send(
    new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
  );
  expect(Messages).toHaveLength(1);
  const m = Messages![0]!;
  expect(m).toMatchObject({
    MessageId: sent.MessageId,
    Body: body,
    MD5OfBody: sent.MD5OfMessageBody,
    MD5OfMessageAttributes: 'd21ae90c49061e927f57df5f5d72be1f',
    MessageAttributes: { ordinal: { DataType: 'Number', StringValue: '1' }, category: { DataType: 'String', StringValue: 'test' } },
  });
  expect(m.Attributes).toEqual({
    SenderId: ACCOUNT,
    SentTimestamp: String(clock.t - 5),
    ApproximateReceiveCount: '1',
    ApproximateFirstReceiveTimestamp: String(clock.t),
    AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1',
  });
  await h.client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
  // deleting again succeeds, as on AWS
  await h.client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
  clock.advance(31_000);
  expect((await h.client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
});

test('only the message attributes asked for come back, with the digest of those', async () => {
  const QueueUrl = await queue('attr-filter');
  await h.client.send(
    new SendMessageCommand({
      QueueUrl,
      MessageBody: 'x',
      MessageAttributes: {
        'trace.id': { DataType: 'String', StringValue: 'abc' },
        'trace.span': { DataType: 'String', StringValue: 'def' },
        SellerName: { DataType: 'String', StringValue: 'Example Store' },
        blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 255]) },
      },
    }),
  );
  const { Messages } = await h.client.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['SellerName', 'blob'] }));
  const m = Messages![0]!;
  expect(Object.keys(m.MessageAttributes!).sort()).toEqual(['SellerName', 'blob']);
  expect(Buffer.from(m.MessageAttributes!.blob!.BinaryValue!)).toEqual(Buffer.from([0, 1, 2, 255]));
  expect(m.Attributes).toBeUndefined();
  await h.client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
  const again = await h.client.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['SellerName'] }));
  // the published digest of this one attribute
  expect(again.Messages![0]!.MD5OfMessageAttributes).toBe('cd28f3b68aeee4b2eac9c66f2f694b58');
  await h.client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: again.Messages![0]!.ReceiptHandle, VisibilityTimeout: 0 }));
  const byPrefix = await h.client.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['trace.*'] }));
  expect(Object.keys(byPrefix.Messages![0]!.MessageAttributes!).sort()).toEqual(['trace.id', 'trace.span']);
});

test('bad messages are refused with the errors AWS gives', async () => {
  const QueueUrl = await queue('strict', { MaximumMessageSize: '1024' });
  const empty = await failure(h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: '' })));
  expect(empty.name).toBe('MissingParameter');
  const badChar = await failure(h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a\u0000b' })));
  expect(badChar.name).toBe('InvalidMessageContents');
  expect(badChar.message).toMatch(/^Invalid binary character '#x0' was found in the message body/);
  const big = await failure(h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(1025) })));
  expect(big.name).toBe('InvalidParameterValue');
  expect(big.message).toBe('One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.');
  const badNumber = await failure(h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: 'ten' } } })));
  expect(badNumber.message).toBe("Can't cast the value of message (user) attribute 'n' to a number.");
  const badType = await failure(h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageAttributes: { n: { DataType: 'Text', StringValue: 'a' } } })));
  expect(badType.name).toBe('InvalidParameterValue');
  const delay = await failure(h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', DelaySeconds: 901 })));
  expect(delay.name).toBe('InvalidParameterValue');
  const dedup = await failure(h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageDeduplicationId: 'd' })));
  expect(dedup.message).toMatch(/The request include parameter that is not valid for this queue type\.$/);
  const maxMessages = await failure(h.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 11 })));
  expect(maxMessages.message).toBe('Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.');
  const badHandle = await failure(h.client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'not-a-handle' })));
  expect(badHandle.name).toBe('ReceiptHandleIsInvalid');
  expect(badHandle.$metadata?.httpStatusCode).toBe(404);
});

test('SendMessageBatch and DeleteMessageBatch report failures per entry', async () => {
  const QueueUrl = await queue('batch');
  const r = await h.client.send(
    new SendMessageBatchCommand({
      QueueUrl,
      Entries: [
        { Id: 'ok1', MessageBody: 'one' },
        { Id: 'bad', MessageBody: 'x', DelaySeconds: 1000 },
        { Id: 'ok2', MessageBody: 'two', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
        { Id: 'empty', MessageBody: '' },
      ],
    }),
  );
  expect(r.Successful!.map((s) => s.Id)).toEqual(['ok1', 'ok2']);
  expect(r.Successful![1]!.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
  expect(r.Failed).toEqual([
    { Id: 'bad', SenderFault: true, Code: 'InvalidParameterValue', Message: 'Value 1000 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.' },
    { Id: 'empty', SenderFault: true, Code: 'MissingParameter', Message: 'The request must contain the parameter MessageBody.' },
  ]);
  const dup = await failure(h.client.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', MessageBody: '1' }, { Id: 'a', MessageBody: '2' }] })));
  expect(dup.name).toBe('BatchEntryIdsNotDistinct');
  const many = await failure(
    h.client.send(new SendMessageBatchCommand({ QueueUrl, Entries: Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, MessageBody: 'x' })) })),
  );
  expect(many.name).toBe('TooManyEntriesInBatchRequest');
  const empty = await failure(h.client.send(new SendMessageBatchCommand({ QueueUrl, Entries: [] })));
  expect(empty.name).toBe('EmptyBatchRequest');
  const badId = await failure(h.client.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'no spaces', MessageBody: '1' }] })));
  expect(badId.name).toBe('InvalidBatchEntryId');

  const { Messages } = await h.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
  expect(Messages!.map((m) => m.Body).sort()).toEqual(['one', 'two']);
  const del = await h.client.send(
    new DeleteMessageBatchCommand({
      QueueUrl,
      Entries: [
        { Id: 'a', ReceiptHandle: Messages![0]!.ReceiptHandle },
        { Id: 'b', ReceiptHandle: 'garbage' },
        { Id: 'c', ReceiptHandle: Messages![1]!.ReceiptHandle },
      ],
    }),
  );
  expect(del.Successful).toEqual([{ Id: 'a' }, { Id: 'c' }]);
  expect(del.Failed).toEqual([{ Id: 'b', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'The input receipt handle "garbage" is not a valid receipt handle.' }]);
});

test('visibility timeout: a received message comes back after it, with its receive count', async () => {
  const QueueUrl = await queue('visibility', { VisibilityTimeout: '10' });
  await h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'v' }));
  const first = await h.client.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
  expect(first.Messages![0]!.Attributes).toEqual({ ApproximateReceiveCount: '1' });
  clock.advance(9_999);
  expect((await h.client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
  clock.advance(1);
  const second = await h.client.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount'], VisibilityTimeout: 100 }));
  expect(second.Messages![0]!.Attributes).toEqual({ ApproximateReceiveCount: '2' });
  expect(second.Messages![0]!.ReceiptHandle).not.toBe(first.Messages![0]!.ReceiptHandle);
  // ChangeMessageVisibility on an in-flight message; on one that is not in flight it fails
  await h.client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: second.Messages![0]!.ReceiptHandle, VisibilityTimeout: 5 }));
  clock.advance(5_000);
  const notInFlight = await failure(h.client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: second.Messages![0]!.ReceiptHandle, VisibilityTimeout: 5 })));
  expect(notInFlight.name).toBe('MessageNotInflight');
  const third = await h.client.send(new ReceiveMessageCommand({ QueueUrl }));
  const batch = await h.client.send(
    new ChangeMessageVisibilityBatchCommand({
      QueueUrl,
      Entries: [
        { Id: 'ok', ReceiptHandle: third.Messages![0]!.ReceiptHandle, VisibilityTimeout: 0 },
        { Id: 'bad', ReceiptHandle: 'garbage', VisibilityTimeout: 0 },
      ],
    }),
  );
  expect(batch.Successful).toEqual([{ Id: 'ok' }]);
  expect(batch.Failed![0]).toMatchObject({ Id: 'bad', Code: 'ReceiptHandleIsInvalid' });
  expect((await h.client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toHaveLength(1);
});

test('delays: per message and per queue', async () => {
  const QueueUrl = await queue('delayed', { DelaySeconds: '20' });
  await h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'queue-delay' }));
  await h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'own-delay', DelaySeconds: 5 }));
  expect((await h.client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
  clock.advance(5_000);
  expect((await h.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages!.map((m) => m.Body)).toEqual(['own-delay']);
  clock.advance(15_000);
  expect((await h.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages!.map((m) => m.Body)).toEqual(['queue-delay']);
});

test('retention: messages older than MessageRetentionPeriod are gone', async () => {
  const QueueUrl = await queue('short-lived', { MessageRetentionPeriod: '60' });
  await h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'old' }));
  clock.advance(60_000);
  await h.client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'new' }));
  expect((await h.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages!.map((m) => m.Body)).toEqual(['new']);
});

test('a JSON body that is not an object is a SerializationException', async () => {
  const r = await fetch(`${h.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' }, body: '[1' });
  expect(r.status).toBe(400);
  expect(((await r.json()) as { __type: string }).__type).toBe('com.amazon.coral.service#SerializationException');
  const ok = await rawJson(h.url, 'ListQueues', { QueueNamePrefix: 'basic' });
  expect(ok.json).toEqual({ QueueUrls: [`${h.url}/${ACCOUNT}/basic`] });
});
