// The older SQS query protocol (form-encoded `Action=...`, XML answers), as the AWS CLI v1 and
// older SDKs speak it. Driven by the real @aws-sdk/client-sqs configured with the SDK's own
// AwsQueryProtocol (the protocol it used before JSON), and by a raw form to check the XML.
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import {
  ChangeMessageVisibilityBatchCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListQueueTagsCommand,
  ListQueuesCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SQSClient,
  type SQSClientConfig,
  SendMessageBatchCommand,
  SendMessageCommand,
  errorTypeRegistries,
} from '@aws-sdk/client-sqs';
import { bufferedBody } from '../../../../local/aws-shared/body';
import { startEdge } from '../../../../local/edge';
import { ACCOUNT, type Harness, REGION, failure, startSqs } from './helpers';

let h: Harness;
let q: SQSClient;
beforeAll(async () => {
  h = await startSqs();
  q = new SQSClient({
    endpoint: h.url,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    protocol: AwsQueryProtocol,
    protocolSettings: { defaultNamespace: 'com.amazonaws.sqs', errorTypeRegistries, xmlNamespace: 'http://queue.amazonaws.com/doc/2012-11-05/', version: '2012-11-05' },
  } as SQSClientConfig);
});
afterAll(async () => {
  q.destroy();
  await h.stop();
});

test('the query protocol serves the same queues and messages as JSON', async () => {
  const { QueueUrl } = await q.send(new CreateQueueCommand({ QueueName: 'query-q', Attributes: { VisibilityTimeout: '45' }, tags: { via: 'query' } }));
  expect(QueueUrl).toBe(`${h.url}/${ACCOUNT}/query-q`);
  expect((await q.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout', 'QueueArn'] }))).Attributes).toEqual({
    VisibilityTimeout: '45',
    QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:query-q`,
  });
  expect((await q.send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({ via: 'query' });
  expect((await q.send(new ListQueuesCommand({ QueueNamePrefix: 'query' }))).QueueUrls).toEqual([QueueUrl]);

  const sent = await q.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a & <b> "c"', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' }, bin: { DataType: 'Binary', BinaryValue: Buffer.from('hi') } } }));
  expect(sent.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
  const batch = await q.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'one', MessageBody: 'b1' }, { Id: 'bad', MessageBody: '' }] }));
  expect(batch.Successful!.map((e) => e.Id)).toEqual(['one']);
  expect(batch.Failed).toEqual([{ Id: 'bad', SenderFault: true, Code: 'MissingParameter', Message: 'The request must contain the parameter MessageBody.' }]);

  const { Messages } = await q.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
  const first = Messages!.find((m) => m.MessageId === sent.MessageId)!;
  expect(first.Body).toBe('a & <b> "c"');
  expect(first.Attributes).toEqual({ ApproximateReceiveCount: '1' });
  expect(first.MessageAttributes!.k).toEqual({ DataType: 'String', StringValue: 'v' });
  expect(Buffer.from(first.MessageAttributes!.bin!.BinaryValue!).toString()).toBe('hi');
  expect(first.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);

  const vis = await q.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl, Entries: Messages!.map((m, i) => ({ Id: `e${i}`, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 100 })) }));
  expect(vis.Successful).toHaveLength(2);
  const del = await q.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: Messages!.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })) }));
  expect(del.Successful!.map((e) => e.Id)).toEqual(['d0', 'd1']);
  expect(del.Failed ?? []).toEqual([]);
});

test('errors come back in the query protocol\'s XML, which the SDK maps to its classes', async () => {
  const err = await failure(q.send(new GetQueueAttributesCommand({ QueueUrl: `${h.url}/${ACCOUNT}/nope`, AttributeNames: ['All'] })));
  expect(err).toBeInstanceOf(QueueDoesNotExist);
  expect(err.message).toBe('The specified queue does not exist.');

  const form = new URLSearchParams({ Action: 'GetQueueUrl', Version: '2012-11-05', QueueName: 'nope' });
  const r = await fetch(`${h.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  expect(r.status).toBe(400);
  const xml = await r.text();
  expect(xml).toMatch(
    /^<\?xml version="1.0"\?>\n<ErrorResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><Error><Type>Sender<\/Type><Code>AWS.SimpleQueueService.NonExistentQueue<\/Code><Message>The specified queue does not exist.<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>\n$/,
  );
});

test('a form posted to the queue URL without QueueUrl, and an old-style GET, name the queue by the path', async () => {
  await h.client.send(new CreateQueueCommand({ QueueName: 'by-path' }));
  const post = await fetch(`${h.url}/${ACCOUNT}/by-path`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Action: 'SendMessage', Version: '2012-11-05', MessageBody: 'via path' }).toString(),
  });
  expect(post.status).toBe(200);
  expect(await post.text()).toMatch(/<SendMessageResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><SendMessageResult><MD5OfMessageBody>[0-9a-f]{32}<\/MD5OfMessageBody><MessageId>/);
  const get = await fetch(`${h.url}/${ACCOUNT}/by-path?Action=ReceiveMessage&Version=2012-11-05`);
  expect(await get.text()).toContain('<Body>via path</Body>');
});

test('a form that is not SQS\'s is left, body intact, to the next route of the edge', async () => {
  const seen: string[] = [];
  const edge = await startEdge({
    port: 0,
    services: [
      { name: 'sqs', route: h.sqs.route },
      {
        name: 'next',
        route: async (req, res) => {
          seen.push((await bufferedBody(req)).toString());
          res.writeHead(200).end('next');
          return true;
        },
      },
    ],
  });
  try {
    const snsForm = new URLSearchParams({ Action: 'Publish', Version: '2010-03-31', Message: 'hi' }).toString();
    const r = await fetch(`${edge.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: snsForm });
    expect(await r.text()).toBe('next');
    // signed for another service: not even an SQS action is taken
    const signed = await fetch(`${edge.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20261120/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=00' },
      body: 'Action=ListQueues&Version=2012-11-05',
    });
    expect(await signed.text()).toBe('next');
    expect(seen).toEqual([snsForm, 'Action=ListQueues&Version=2012-11-05']);
  } finally {
    await edge.close();
  }
});
