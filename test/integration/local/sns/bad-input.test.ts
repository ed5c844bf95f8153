// Malformed forms to every SNS action: always a 4xx in the query protocol's XML error shape,
// never a 5xx.
import { OPERATIONS } from '../../../../local/sns/registry';
import { type Harness, startSns } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startSns();
});
afterAll(async () => {
  await h.stop();
});

test('no form makes any SNS action answer 5xx', async () => {
  const topic = h.sns.deployTopic({ TopicName: 't' }).TopicArn;
  const fifo = h.sns.deployTopic({ TopicName: 'f.fifo', FifoTopic: true }).TopicArn;
  const forms: Array<Record<string, string>> = [
    {},
    { TopicArn: topic },
    { TopicArn: 'garbage', Message: 'x' },
    { TopicArn: fifo, Message: 'x', MessageGroupId: 'g' },
    { TopicArn: topic, Message: 'x', 'MessageAttributes.entry.1.Name': 'a' },
    { TopicArn: topic, Message: 'x', 'MessageAttributes.entry.1.Name': 'a', 'MessageAttributes.entry.1.Value.DataType': 'Number', 'MessageAttributes.entry.1.Value.StringValue': 'x' },
    { TopicArn: topic, Message: '{', MessageStructure: 'json' },
    { TopicArn: topic, Message: '[]', MessageStructure: 'json' },
    { TopicArn: topic, Protocol: 'sqs', Endpoint: 'x' },
    { TopicArn: topic, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q', 'Attributes.entry.1.key': 'FilterPolicy', 'Attributes.entry.1.value': '{"a":{"b":5}}' },
    { TopicArn: topic, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q', 'Attributes.entry.1.key': 'RedrivePolicy', 'Attributes.entry.1.value': 'null' },
    { SubscriptionArn: `${topic}:x`, AttributeName: 'FilterPolicy', AttributeValue: '5' },
    { Name: '', Platform: 'GCM' },
    { PlatformApplicationArn: 'x', Token: '' },
    { EndpointArn: 'x', 'Attributes.entry.1.key': 'Enabled', 'Attributes.entry.1.value': 'maybe' },
    { 'attributes.entry.1.key': 'DefaultSMSType', 'attributes.entry.1.value': 'x' },
    { phoneNumber: 'abc' },
    { ResourceArn: topic, 'Tags.member.1.Key': '' },
    { TopicArn: topic, 'PublishBatchRequestEntries.member.1.Id': 'a' },
    { TopicArn: topic, NextToken: '!!!' },
    { NextToken: 'bm90LWEtbnVtYmVy' },
  ];
  const bad: string[] = [];
  for (const op of Object.keys(OPERATIONS)) {
    for (const f of forms) {
      const r = await fetch(`${h.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ Action: op, Version: '2010-03-31', ...f }).toString() });
      const text = await r.text();
      if (r.status >= 500) bad.push(`${op} ${JSON.stringify(f)} => ${r.status} ${text}`);
      else if (r.status >= 400 && !text.includes('<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>')) bad.push(`${op} ${JSON.stringify(f)} => off-shape ${text}`);
    }
  }
  expect(bad).toEqual([]);
}, 60_000);
