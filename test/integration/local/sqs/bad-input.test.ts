// Hostile and malformed input to every SQS operation, over both protocols: always a 4xx in
// SQS's error shape, never a 5xx or a dropped connection (the fuzzer of issue 13 expects as much).
import { OPERATIONS } from '../../../../local/sqs/registry';
import { type Harness, startSqs } from './helpers';

let h: Harness;
let queueUrl: string;
let fifoUrl: string;
beforeAll(async () => {
  h = await startSqs();
  queueUrl = h.sqs.deployQueue({ QueueName: 'target' }).QueueUrl;
  fifoUrl = h.sqs.deployQueue({ QueueName: 'target.fifo', FifoQueue: true }).QueueUrl;
});
afterAll(async () => {
  await h.stop();
});

const junk: unknown[] = [null, 5, 'x', [], {}, [null], { a: { DataType: 5 } }, '\u0000', -1];

function bodies(url: string): Array<Record<string, unknown>> {
  const fields = [
    'QueueUrl', 'QueueName', 'Attributes', 'tags', 'Tags', 'TagKeys', 'AttributeNames', 'MessageSystemAttributeNames', 'MessageAttributeNames',
    'MaxNumberOfMessages', 'VisibilityTimeout', 'WaitTimeSeconds', 'ReceiveRequestAttemptId', 'MessageBody', 'DelaySeconds', 'MessageAttributes',
    'MessageSystemAttributes', 'MessageDeduplicationId', 'MessageGroupId', 'ReceiptHandle', 'Entries', 'NextToken', 'MaxResults', 'QueueNamePrefix',
    'SourceArn', 'DestinationArn', 'MaxNumberOfMessagesPerSecond', 'TaskHandle', 'QueueOwnerAWSAccountId',
  ];
  const out: Array<Record<string, unknown>> = [{}];
  for (const f of fields) for (const j of junk) out.push({ QueueUrl: url, QueueName: 'fuzz', MessageBody: 'b', ReceiptHandle: 'h', SourceArn: 'arn:aws:sqs:us-east-1:000000000000:target', TaskHandle: 't', [f]: j });
  out.push({ QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'x', MessageAttributes: { k: { DataType: 'String' } } }] });
  out.push({ QueueUrl: url, Entries: [{ Id: 'a', ReceiptHandle: 5, VisibilityTimeout: 'x' }] });
  out.push({ QueueUrl: url, MessageBody: 'x', MessageAttributes: { k: { DataType: 'Binary', BinaryValue: '!!!' } } });
  return out;
}

test('no input makes any operation answer 5xx (JSON protocol)', async () => {
  const bad: string[] = [];
  for (const op of Object.keys(OPERATIONS)) {
    for (const url of /Message|Receive/.test(op) ? [queueUrl, fifoUrl] : [queueUrl]) {
      for (const body of bodies(url)) {
        if (op === 'ReceiveMessage') body.WaitTimeSeconds = 0;
        const r = await fetch(`${h.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${op}` }, body: JSON.stringify(body) });
        const text = await r.text();
        if (r.status >= 500) bad.push(`${op} ${JSON.stringify(body)} => ${r.status} ${text}`);
        else if (r.status >= 400 && !/^\{"__type":"com\.amazon(aws\.sqs|\.coral\.service)#\w+","message":/.test(text)) bad.push(`${op} ${JSON.stringify(body)} => off-shape ${text}`);
      }
    }
  }
  expect(bad).toEqual([]);
}, 120_000);

test('no form makes any operation answer 5xx (query protocol)', async () => {
  const bad: string[] = [];
  const forms = [
    { QueueUrl: queueUrl },
    { QueueUrl: queueUrl, 'Attribute.1.Name': 'VisibilityTimeout' },
    { QueueUrl: queueUrl, 'Attribute.x.Name': 'a', 'Attribute.1.Value': 'b' },
    { QueueUrl: queueUrl, MessageBody: 'x', 'MessageAttribute.1.Name': 'k' },
    { QueueUrl: queueUrl, 'SendMessageBatchRequestEntry.1.Id': 'a' },
    { QueueUrl: queueUrl, 'DeleteMessageBatchRequestEntry.1.ReceiptHandle': 'x' },
    { QueueUrl: queueUrl, MaxNumberOfMessages: 'ten', WaitTimeSeconds: '0' },
    { QueueName: '' },
  ];
  for (const op of Object.keys(OPERATIONS)) {
    for (const f of forms) {
      const r = await fetch(`${h.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ Action: op, Version: '2012-11-05', ...f } as unknown as Record<string, string>).toString() });
      const text = await r.text();
      if (r.status >= 500) bad.push(`${op} ${JSON.stringify(f)} => ${r.status} ${text}`);
    }
  }
  expect(bad).toEqual([]);
}, 120_000);
