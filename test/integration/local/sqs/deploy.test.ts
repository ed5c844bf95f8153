// Deploy-time: deployQueue from the resolved properties of AWS::SQS::Queue (as the template
// deployer hands them over), idempotent, updates back to defaults, FIFO generated names, and the
// in-process sendMessage other emulators use.
import { GetQueueAttributesCommand, ListQueueTagsCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ACCOUNT, type Harness, startSqs } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startSqs();
});
afterAll(async () => {
  await h.stop();
});

test('deployQueue creates, then updates idempotently', async () => {
  const dlq = h.sqs.deployQueue({ QueueName: 'orders-dlq', MessageRetentionPeriod: 1209600 });
  expect(dlq).toEqual({ QueueUrl: `${h.url}/${ACCOUNT}/orders-dlq`, Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:orders-dlq`, QueueName: 'orders-dlq' });
  const props = {
    VisibilityTimeout: 90,
    RedrivePolicy: { deadLetterTargetArn: dlq.Arn, maxReceiveCount: 3 },
    Tags: [{ Key: 'service', Value: 'orders' }],
  };
  const q = h.sqs.deployQueue(props, { name: 'EcommerceStack-OrdersQueue' });
  expect(q.QueueName).toBe('EcommerceStack-OrdersQueue');
  expect(h.sqs.deployQueue(props, { name: 'EcommerceStack-OrdersQueue' })).toEqual(q);
  const attrs = (await h.client.send(new GetQueueAttributesCommand({ QueueUrl: q.QueueUrl, AttributeNames: ['All'] }))).Attributes!;
  expect(attrs.VisibilityTimeout).toBe('90');
  expect(JSON.parse(attrs.RedrivePolicy!)).toEqual({ deadLetterTargetArn: dlq.Arn, maxReceiveCount: 3 });
  expect((await h.client.send(new ListQueueTagsCommand({ QueueUrl: q.QueueUrl }))).Tags).toEqual({ service: 'orders' });

  // the template drops the redrive policy and the timeout: back to the defaults
  h.sqs.deployQueue({}, { name: 'EcommerceStack-OrdersQueue' });
  const after = (await h.client.send(new GetQueueAttributesCommand({ QueueUrl: q.QueueUrl, AttributeNames: ['All'] }))).Attributes!;
  expect(after.VisibilityTimeout).toBe('30');
  expect(after.RedrivePolicy).toBeUndefined();
});

test('a FIFO queue without a name gets the generated name with .fifo; bad properties throw', () => {
  const q = h.sqs.deployQueue({ FifoQueue: true, ContentBasedDeduplication: true }, { name: 'Stack-Saga' });
  expect(q.QueueName).toBe('Stack-Saga.fifo');
  expect(h.sqs.queueAttributes(q.Arn, ['FifoQueue', 'ContentBasedDeduplication'])).toEqual({ FifoQueue: 'true', ContentBasedDeduplication: 'true' });
  expect(() => h.sqs.deployQueue({ QueueName: 'bad', VisibilityTimeout: 99999 })).toThrow('Invalid value for the parameter VisibilityTimeout.');
  expect(() => h.sqs.deployQueue({})).toThrow('no QueueName');
});

test('sendMessage in process, by ARN or URL, is received through the API', async () => {
  const { Arn, QueueUrl } = h.sqs.deployQueue({ QueueName: 'on-failure' });
  const r = h.sqs.sendMessage(Arn, '{"requestContext":{}}', { attributes: { source: { DataType: 'String', StringValue: 'lambda' } } });
  h.sqs.sendMessage(`http://sqs.us-east-1.localhost/${ACCOUNT}/on-failure`, 'second');
  const { Messages } = await h.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
  expect(Messages!.map((m) => m.Body)).toEqual(['{"requestContext":{}}', 'second']);
  expect(Messages![0]).toMatchObject({ MessageId: r.MessageId, MessageAttributes: { source: { DataType: 'String', StringValue: 'lambda' } } });
  expect(() => h.sqs.sendMessage('arn:aws:sqs:us-east-1:000000000000:absent', 'x')).toThrow('The specified queue does not exist.');
});

test('a client configured only by AWS_ENDPOINT_URL (as the functions are) reaches a queue by the URL the emulator hands out', async () => {
  const { SQSClient, SendMessageCommand } = await import('@aws-sdk/client-sqs');
  const { QueueUrl } = h.sqs.deployQueue({ QueueName: 'env-configured' });
  const saved = process.env.AWS_ENDPOINT_URL;
  process.env.AWS_ENDPOINT_URL = h.url;
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const c = new SQSClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1, logger: quiet });
  try {
    // the SDK sends to the QueueUrl's host when the client has no explicit endpoint: it must be the edge
    expect((await c.send(new SendMessageCommand({ QueueUrl, MessageBody: 'via env' }))).MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.sqs.queueAttributes('env-configured', ['ApproximateNumberOfMessages'])).toEqual({ ApproximateNumberOfMessages: '1' });
  } finally {
    c.destroy();
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
    else process.env.AWS_ENDPOINT_URL = saved;
  }
});
