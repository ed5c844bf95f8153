// Deploy-time calls (AWS::SNS::Topic with inline subscriptions, AWS::SNS::Subscription with a
// filter policy), in-process publish, and everything surviving a restart.
import { GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, ListTopicsCommand, PublishCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ACCOUNT, type Harness, getJson, startSns } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startSns();
});
afterAll(async () => {
  await h.stop();
});

test('topics and subscriptions from the template, then a restart keeps them and what was sent', async () => {
  const queueUrl = (await h.sqsClient.send(new CreateQueueCommand({ QueueName: 'order-notifications' }))).QueueUrl!;
  const queueArn = `arn:aws:sqs:us-east-1:${ACCOUNT}:order-notifications`;
  const topic = h.sns.deployTopic({ DisplayName: 'Orders', Subscription: [{ Protocol: 'sms', Endpoint: '+15555550199' }], Tags: [{ Key: 'app', Value: 'shop' }] }, { name: 'Stack-OrderTopic' });
  expect(topic).toEqual({ TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:Stack-OrderTopic`, TopicName: 'Stack-OrderTopic' });
  expect(h.sns.deployTopic({ DisplayName: 'Orders' }, { name: 'Stack-OrderTopic' }).TopicArn).toBe(topic.TopicArn);
  expect(h.sns.deployTopic({ FifoTopic: true }, { name: 'Stack-Saga' }).TopicName).toBe('Stack-Saga.fifo');
  const { SubscriptionArn } = h.sns.deploySubscription({
    TopicArn: topic.TopicArn,
    Protocol: 'sqs',
    Endpoint: queueArn,
    RawMessageDelivery: true,
    FilterPolicy: { type: ['order.confirmed'] },
  });
  expect((await h.client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes).toMatchObject({
    RawMessageDelivery: 'true',
    FilterPolicy: '{"type":["order.confirmed"]}',
    FilterPolicyScope: 'MessageAttributes',
  });
  await h.sns.publish({ TopicArn: topic.TopicArn, Message: 'kept', MessageAttributes: { type: { DataType: 'String', StringValue: 'order.confirmed' } } });
  await h.sns.publish({ TopicArn: topic.TopicArn, Message: 'filtered out', MessageAttributes: { type: { DataType: 'String', StringValue: 'order.cancelled' } } });

  await h.restart();
  await h.restart();
  expect((await h.client.send(new ListTopicsCommand({}))).Topics!.map((t) => t.TopicArn).sort()).toEqual([topic.TopicArn, `arn:aws:sns:us-east-1:${ACCOUNT}:Stack-Saga.fifo`]);
  expect((await h.client.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic.TopicArn }))).Subscriptions!.map((s) => s.Protocol).sort()).toEqual(['sms', 'sqs']);
  const sms = await getJson<{ sms_messages: Record<string, Array<{ Message: string }>> }>(`${h.url}/_aws/sns/sms-messages`);
  expect(sms.body.sms_messages['+15555550199']!.map((m) => m.Message)).toEqual(['kept', 'filtered out']);
  await h.client.send(new PublishCommand({ TopicArn: topic.TopicArn, Message: 'after restart', MessageAttributes: { type: { DataType: 'String', StringValue: 'order.confirmed' } } }));
  const got = await h.sqsClient.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
  expect(got.Messages!.map((m) => m.Body)).toEqual(['kept', 'after restart']);
});
