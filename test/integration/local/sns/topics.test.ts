// Topics through @aws-sdk/client-sns (query protocol): create (idempotent, FIFO), attributes,
// list with pages, tags, delete; NotFound and InvalidParameter on the wire.
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  InvalidParameterException,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  NotFoundException,
  SetTopicAttributesCommand,
  SubscribeCommand,
  TagResourceCommand,
  UntagResourceCommand,
  paginateListTopics,
} from '@aws-sdk/client-sns';
import { ACCOUNT, type Harness, failure, startSns } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startSns();
});
afterAll(async () => {
  await h.stop();
});

test('CreateTopic is idempotent; its attributes are SNS\'s', async () => {
  const { TopicArn } = await h.client.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Orders' } }));
  expect(TopicArn).toBe(`arn:aws:sns:us-east-1:${ACCOUNT}:orders`);
  expect((await h.client.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Orders' } }))).TopicArn).toBe(TopicArn);
  const clash = await failure(h.client.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Other' } })));
  expect(clash).toBeInstanceOf(InvalidParameterException);
  expect(clash.message).toBe('Invalid parameter: Attributes Reason: Topic already exists with different attributes');
  await h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'ops@example.com' }));
  const { Attributes } = await h.client.send(new GetTopicAttributesCommand({ TopicArn }));
  expect(Attributes).toMatchObject({
    TopicArn,
    Owner: ACCOUNT,
    DisplayName: 'Orders',
    SubscriptionsConfirmed: '0',
    SubscriptionsPending: '1',
    SubscriptionsDeleted: '0',
  });
  expect(JSON.parse(Attributes!.Policy!).Statement[0].Resource).toBe(TopicArn);
  await h.client.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DisplayName', AttributeValue: 'Orders!' }));
  expect((await h.client.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!.DisplayName).toBe('Orders!');
  const badAttr = await failure(h.client.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Colour', AttributeValue: 'red' })));
  expect(badAttr.message).toBe('Invalid parameter: AttributeName');
});

test('FIFO topics need a .fifo name; their attributes say FIFO', async () => {
  const err = await failure(h.client.send(new CreateTopicCommand({ Name: 'no-suffix', Attributes: { FifoTopic: 'true' } })));
  expect(err.message).toMatch(/^Invalid parameter: Fifo Topic names must end with \.fifo/);
  expect((await failure(h.client.send(new CreateTopicCommand({ Name: 'bad name' })))).message).toBe('Invalid parameter: Topic Name');
  const { TopicArn } = await h.client.send(new CreateTopicCommand({ Name: 'saga.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }));
  expect((await h.client.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes).toMatchObject({ FifoTopic: 'true', ContentBasedDeduplication: 'true' });
});

test('an unknown topic is NotFound, 404, in the XML error shape', async () => {
  const arn = `arn:aws:sns:us-east-1:${ACCOUNT}:ghost`;
  const err = await failure(h.client.send(new GetTopicAttributesCommand({ TopicArn: arn })));
  expect(err).toBeInstanceOf(NotFoundException);
  expect(err.message).toBe('Topic does not exist');
  expect(err.$metadata?.httpStatusCode).toBe(404);
  const r = await fetch(`${h.url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Action: 'Publish', Version: '2010-03-31', TopicArn: arn, Message: 'x' }).toString(),
  });
  expect(r.status).toBe(404);
  expect(await r.text()).toMatch(
    /^<\?xml version="1.0"\?>\n<ErrorResponse xmlns="http:\/\/sns.amazonaws.com\/doc\/2010-03-31\/"><Error><Type>Sender<\/Type><Code>NotFound<\/Code><Message>Topic does not exist<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>\n$/,
  );
});

test('ListTopics pages by 100; tags; DeleteTopic (twice is fine) removes its subscriptions', async () => {
  for (let i = 0; i < 101; i++) await h.client.send(new CreateTopicCommand({ Name: `bulk-${String(i).padStart(3, '0')}` }));
  const first = await h.client.send(new ListTopicsCommand({}));
  expect(first.Topics).toHaveLength(100);
  expect(first.NextToken).toBeDefined();
  const all: string[] = [];
  for await (const page of paginateListTopics({ client: h.client }, {})) all.push(...page.Topics!.map((t) => t.TopicArn!));
  expect(all.filter((a) => a.includes(':bulk-'))).toHaveLength(101);

  const TopicArn = `arn:aws:sns:us-east-1:${ACCOUNT}:bulk-000`;
  await h.client.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: 'team', Value: 'ops' }, { Key: 'tier', Value: '1' }] }));
  await h.client.send(new UntagResourceCommand({ ResourceArn: TopicArn, TagKeys: ['tier'] }));
  expect((await h.client.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags).toEqual([{ Key: 'team', Value: 'ops' }]);
  const noResource = await failure(h.client.send(new ListTagsForResourceCommand({ ResourceArn: `${TopicArn}-nope` })));
  expect(noResource.name).toBe('ResourceNotFoundException');

  await h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'sms', Endpoint: '+15555550100' }));
  await h.client.send(new DeleteTopicCommand({ TopicArn }));
  await h.client.send(new DeleteTopicCommand({ TopicArn }));
  expect(await failure(h.client.send(new GetTopicAttributesCommand({ TopicArn })))).toBeInstanceOf(NotFoundException);
  const { ListSubscriptionsCommand } = await import('@aws-sdk/client-sns');
  const subs = await h.client.send(new ListSubscriptionsCommand({}));
  expect((subs.Subscriptions ?? []).filter((s) => s.TopicArn === TopicArn)).toEqual([]);
});
