/**
 * The EventBridge API through @aws-sdk/client-eventbridge: buses, rules, targets, pagination,
 * and the errors as AWS shapes them (type, message, HTTP status, headers).
 */
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  ListEventBusesCommand,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateEventBusCommand,
} from '@aws-sdk/client-eventbridge';
import { ACCOUNT, failure, lambdaArn, queueArn, REGION, start, stop, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await start();
});
afterAll(() => stop(h));

const PATTERN = JSON.stringify({ source: ['orders'], 'detail-type': ['OrderPlaced'] });

describe('event buses', () => {
  test('the default bus always exists', async () => {
    const d = await h.client.send(new DescribeEventBusCommand({}));
    expect(d.Name).toBe('default');
    expect(d.Arn).toBe(`arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`);
    expect(d.CreationTime).toBeInstanceOf(Date);
  });

  test('create, describe (by name and ARN), update, list, delete', async () => {
    const c = await h.client.send(new CreateEventBusCommand({ Name: 'orders-bus', Description: 'order outcomes', Tags: [{ Key: 'team', Value: 'orders' }] }));
    expect(c.EventBusArn).toBe(`arn:aws:events:${REGION}:${ACCOUNT}:event-bus/orders-bus`);
    expect(c.Description).toBe('order outcomes');
    const byName = await h.client.send(new DescribeEventBusCommand({ Name: 'orders-bus' }));
    const byArn = await h.client.send(new DescribeEventBusCommand({ Name: c.EventBusArn }));
    const { $metadata: _m1, ...a } = byArn;
    const { $metadata: _m2, ...b } = byName;
    expect(a).toEqual(b);
    expect(byName.Description).toBe('order outcomes');
    const u = await h.client.send(new UpdateEventBusCommand({ Name: 'orders-bus', Description: 'saga outcomes' }));
    expect(u).toMatchObject({ Name: 'orders-bus', Arn: c.EventBusArn, Description: 'saga outcomes' });
    expect((await h.client.send(new ListTagsForResourceCommand({ ResourceARN: c.EventBusArn }))).Tags).toEqual([{ Key: 'team', Value: 'orders' }]);
    const list = await h.client.send(new ListEventBusesCommand({ NamePrefix: 'orders' }));
    expect(list.EventBuses?.map((b) => [b.Name, b.Description])).toEqual([['orders-bus', 'saga outcomes']]);
    await h.client.send(new DeleteEventBusCommand({ Name: 'orders-bus' }));
    expect((await h.client.send(new ListEventBusesCommand({ NamePrefix: 'orders' }))).EventBuses).toEqual([]);
  });

  test('a bus that exists already, the default bus, an unknown bus', async () => {
    await h.client.send(new CreateEventBusCommand({ Name: 'dup-bus' }));
    expect(await failure(h.client.send(new CreateEventBusCommand({ Name: 'dup-bus' })))).toEqual({
      name: 'ResourceAlreadyExistsException',
      message: 'Event bus dup-bus already exists.',
      status: 400,
    });
    expect(await failure(h.client.send(new DeleteEventBusCommand({ Name: 'default' })))).toEqual({
      name: 'ValidationException',
      message: 'Cannot delete event bus default.',
      status: 400,
    });
    expect(await failure(h.client.send(new DescribeEventBusCommand({ Name: 'nope' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Event bus nope does not exist.',
      status: 400,
    });
    expect(await failure(h.client.send(new DeleteEventBusCommand({ Name: 'nope' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Event bus nope does not exist.',
      status: 400,
    });
  });

  test('names are validated as the service does', async () => {
    expect(await failure(h.client.send(new CreateEventBusCommand({ Name: 'bad name!' })))).toEqual({
      name: 'ValidationException',
      message: "1 validation error detected: Value 'bad name!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+",
      status: 400,
    });
  });

  test('ListEventBuses pages with Limit and NextToken', async () => {
    for (const i of [0, 1, 2, 3, 4]) await h.client.send(new CreateEventBusCommand({ Name: `page-bus-${i}` }));
    const first = await h.client.send(new ListEventBusesCommand({ NamePrefix: 'page-bus-', Limit: 3 }));
    expect(first.EventBuses?.map((b) => b.Name)).toEqual(['page-bus-0', 'page-bus-1', 'page-bus-2']);
    expect(typeof first.NextToken).toBe('string');
    const second = await h.client.send(new ListEventBusesCommand({ NamePrefix: 'page-bus-', Limit: 3, NextToken: first.NextToken }));
    expect(second.EventBuses?.map((b) => b.Name)).toEqual(['page-bus-3', 'page-bus-4']);
    expect(second.NextToken).toBeUndefined();
  });
});

describe('rules', () => {
  test('put, describe, list, disable, enable, delete on the default bus', async () => {
    const put = await h.client.send(new PutRuleCommand({ Name: 'order-placed', EventPattern: PATTERN, Description: 'orders in' }));
    expect(put.RuleArn).toBe(`arn:aws:events:${REGION}:${ACCOUNT}:rule/order-placed`);
    expect(await h.client.send(new DescribeRuleCommand({ Name: 'order-placed' }))).toMatchObject({
      Name: 'order-placed',
      Arn: put.RuleArn,
      EventPattern: PATTERN,
      State: 'ENABLED',
      Description: 'orders in',
      EventBusName: 'default',
      CreatedBy: ACCOUNT,
    });
    await h.client.send(new DisableRuleCommand({ Name: 'order-placed' }));
    expect((await h.client.send(new DescribeRuleCommand({ Name: 'order-placed' }))).State).toBe('DISABLED');
    await h.client.send(new EnableRuleCommand({ Name: 'order-placed' }));
    const listed = await h.client.send(new ListRulesCommand({ NamePrefix: 'order-' }));
    expect(listed.Rules).toEqual([{ Name: 'order-placed', Arn: put.RuleArn, EventPattern: PATTERN, State: 'ENABLED', Description: 'orders in', EventBusName: 'default' }]);
    await h.client.send(new DeleteRuleCommand({ Name: 'order-placed' }));
    expect((await h.client.send(new ListRulesCommand({ NamePrefix: 'order-' }))).Rules).toEqual([]);
    // a second delete succeeds, as repeated DeleteRule calls do
    await h.client.send(new DeleteRuleCommand({ Name: 'order-placed' }));
  });

  test('a rule on a custom bus has the bus in its ARN; PutRule replaces the definition and keeps the targets', async () => {
    await h.client.send(new CreateEventBusCommand({ Name: 'rules-bus' }));
    const put = await h.client.send(new PutRuleCommand({ Name: 'r1', EventBusName: 'rules-bus', EventPattern: PATTERN, Description: 'first' }));
    expect(put.RuleArn).toBe(`arn:aws:events:${REGION}:${ACCOUNT}:rule/rules-bus/r1`);
    await h.client.send(new PutTargetsCommand({ Rule: 'r1', EventBusName: 'rules-bus', Targets: [{ Id: 't1', Arn: lambdaArn('f') }] }));
    await h.client.send(new PutRuleCommand({ Name: 'r1', EventBusName: 'rules-bus', EventPattern: '{"source": ["x"]}' }));
    const d = await h.client.send(new DescribeRuleCommand({ Name: 'r1', EventBusName: 'rules-bus' }));
    expect(d.EventPattern).toBe('{"source": ["x"]}');
    expect(d.Description).toBeUndefined();
    expect((await h.client.send(new ListTargetsByRuleCommand({ Rule: 'r1', EventBusName: 'rules-bus' }))).Targets).toEqual([{ Id: 't1', Arn: lambdaArn('f') }]);
  });

  test('errors: unknown rule, unknown bus, malformed pattern, no pattern, schedule on a custom bus, bad schedule', async () => {
    expect(await failure(h.client.send(new DescribeRuleCommand({ Name: 'missing' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Rule missing does not exist on EventBus default.',
      status: 400,
    });
    expect(await failure(h.client.send(new PutRuleCommand({ Name: 'r', EventBusName: 'no-such-bus', EventPattern: PATTERN })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Event bus no-such-bus does not exist.',
      status: 400,
    });
    expect(await failure(h.client.send(new PutRuleCommand({ Name: 'r', EventPattern: '{"source": "orders"}' })))).toEqual({
      name: 'InvalidEventPatternException',
      message: 'Event pattern is not valid. Reason: "source" must be an object or an array\n at [Source: (String)"{"source": "orders"}"; line: 1, column: 13]',
      status: 400,
    });
    expect(await failure(h.client.send(new PutRuleCommand({ Name: 'r' })))).toEqual({
      name: 'ValidationException',
      message: 'Parameter(s) EventPattern or ScheduleExpression must be specified.',
      status: 400,
    });
    await h.client.send(new CreateEventBusCommand({ Name: 'sched-bus' }));
    expect(await failure(h.client.send(new PutRuleCommand({ Name: 'r', EventBusName: 'sched-bus', ScheduleExpression: 'rate(1 minute)' })))).toEqual({
      name: 'ValidationException',
      message: 'ScheduleExpression is supported only on the default event bus.',
      status: 400,
    });
    expect(await failure(h.client.send(new PutRuleCommand({ Name: 'r', ScheduleExpression: 'rate(1 minutes)' })))).toEqual({
      name: 'ValidationException',
      message: 'Parameter ScheduleExpression is not valid.',
      status: 400,
    });
    expect(await failure(h.client.send(new EnableRuleCommand({ Name: 'missing' })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });

  test('a rule with targets cannot be deleted', async () => {
    await h.client.send(new PutRuleCommand({ Name: 'has-targets', EventPattern: PATTERN }));
    await h.client.send(new PutTargetsCommand({ Rule: 'has-targets', Targets: [{ Id: 'q', Arn: queueArn('q') }] }));
    expect(await failure(h.client.send(new DeleteRuleCommand({ Name: 'has-targets' })))).toEqual({
      name: 'ValidationException',
      message: "Rule can't be deleted since it has targets.",
      status: 400,
    });
    await h.client.send(new RemoveTargetsCommand({ Rule: 'has-targets', Ids: ['q'] }));
    await h.client.send(new DeleteRuleCommand({ Name: 'has-targets' }));
  });

  test('ListRules pages with Limit and NextToken; tags on rules', async () => {
    await h.client.send(new CreateEventBusCommand({ Name: 'list-bus' }));
    for (const i of [0, 1, 2, 3, 4]) await h.client.send(new PutRuleCommand({ Name: `lr-${i}`, EventBusName: 'list-bus', EventPattern: PATTERN }));
    const p1 = await h.client.send(new ListRulesCommand({ EventBusName: 'list-bus', Limit: 2 }));
    const p2 = await h.client.send(new ListRulesCommand({ EventBusName: 'list-bus', Limit: 2, NextToken: p1.NextToken }));
    const p3 = await h.client.send(new ListRulesCommand({ EventBusName: 'list-bus', Limit: 2, NextToken: p2.NextToken }));
    expect([p1, p2, p3].map((p) => p.Rules?.map((r) => r.Name))).toEqual([['lr-0', 'lr-1'], ['lr-2', 'lr-3'], ['lr-4']]);
    expect(p3.NextToken).toBeUndefined();
    const arn = `arn:aws:events:${REGION}:${ACCOUNT}:rule/list-bus/lr-0`;
    await h.client.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await h.client.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['a'] }));
    expect((await h.client.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags).toEqual([{ Key: 'b', Value: '2' }]);
  });
});

describe('targets', () => {
  beforeAll(async () => {
    await h.client.send(new PutRuleCommand({ Name: 'targets-rule', EventPattern: PATTERN }));
  });

  test('put (replacing by Id), list, remove; ListRuleNamesByTarget', async () => {
    const put = await h.client.send(
      new PutTargetsCommand({
        Rule: 'targets-rule',
        Targets: [
          { Id: 'fn', Arn: lambdaArn('handler'), InputPath: '$.detail' },
          { Id: 'queue', Arn: queueArn('audit'), RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 }, DeadLetterConfig: { Arn: queueArn('dlq') } },
        ],
      }),
    );
    expect(put).toMatchObject({ FailedEntryCount: 0, FailedEntries: [] });
    await h.client.send(new PutTargetsCommand({ Rule: 'targets-rule', Targets: [{ Id: 'fn', Arn: lambdaArn('handler'), Input: '{"fixed":true}' }] }));
    expect((await h.client.send(new ListTargetsByRuleCommand({ Rule: 'targets-rule' }))).Targets).toEqual([
      { Id: 'fn', Arn: lambdaArn('handler'), Input: '{"fixed":true}' },
      { Id: 'queue', Arn: queueArn('audit'), RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 }, DeadLetterConfig: { Arn: queueArn('dlq') } },
    ]);
    await h.client.send(new PutRuleCommand({ Name: 'targets-rule-2', EventPattern: PATTERN }));
    await h.client.send(new PutTargetsCommand({ Rule: 'targets-rule-2', Targets: [{ Id: 'q', Arn: queueArn('audit') }] }));
    expect((await h.client.send(new ListRuleNamesByTargetCommand({ TargetArn: queueArn('audit') }))).RuleNames).toEqual(['targets-rule', 'targets-rule-2']);
    const removed = await h.client.send(new RemoveTargetsCommand({ Rule: 'targets-rule', Ids: ['fn'] }));
    expect(removed).toMatchObject({ FailedEntryCount: 0, FailedEntries: [] });
    expect((await h.client.send(new ListTargetsByRuleCommand({ Rule: 'targets-rule' }))).Targets?.map((t) => t.Id)).toEqual(['queue']);
  });

  test('per-target failures: a FIFO queue without a message group', async () => {
    const put = await h.client.send(
      new PutTargetsCommand({
        Rule: 'targets-rule',
        Targets: [
          { Id: 'fifo', Arn: queueArn('events.fifo') },
          { Id: 'fifo-ok', Arn: queueArn('events.fifo'), SqsParameters: { MessageGroupId: 'orders' } },
        ],
      }),
    );
    expect(put.FailedEntryCount).toBe(1);
    expect(put.FailedEntries).toEqual([{ TargetId: 'fifo', ErrorCode: 'ValidationException', ErrorMessage: 'Parameter(s) SqsParameters must be specified for target: fifo.' }]);
    const ids = (await h.client.send(new ListTargetsByRuleCommand({ Rule: 'targets-rule' }))).Targets?.map((t) => t.Id);
    expect(ids).toEqual(['fifo-ok', 'queue']);
  });

  test('errors: unknown rule, too many targets, two input settings, undefined placeholder, bad target id', async () => {
    expect(await failure(h.client.send(new PutTargetsCommand({ Rule: 'nope', Targets: [{ Id: 'a', Arn: lambdaArn('f') }] })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Rule nope does not exist on EventBus default.',
      status: 400,
    });
    await h.client.send(new PutRuleCommand({ Name: 'five', EventPattern: PATTERN }));
    const six = [0, 1, 2, 3, 4, 5].map((i) => ({ Id: `t${i}`, Arn: lambdaArn(`f${i}`) }));
    expect(await failure(h.client.send(new PutTargetsCommand({ Rule: 'five', Targets: six })))).toEqual({
      name: 'LimitExceededException',
      message: 'The requested resource exceeds the maximum number allowed.',
      status: 400,
    });
    expect(await failure(h.client.send(new PutTargetsCommand({ Rule: 'five', Targets: [{ Id: 'x', Arn: lambdaArn('f'), Input: '{}', InputPath: '$.detail' }] })))).toEqual({
      name: 'ValidationException',
      message: 'Only one of Input, InputPath, or InputTransformer must be provided for target x.',
      status: 400,
    });
    expect(
      await failure(
        h.client.send(
          new PutTargetsCommand({
            Rule: 'five',
            Targets: [{ Id: 'x', Arn: lambdaArn('f'), InputTransformer: { InputPathsMap: { a: '$.detail.a' }, InputTemplate: '"<a> and <notdefinedkey>"' } }],
          }),
        ),
      ),
    ).toEqual({ name: 'ValidationException', message: 'InputTemplate for target x contains invalid placeholder notdefinedkey.', status: 400 });
    expect(await failure(h.client.send(new PutTargetsCommand({ Rule: 'five', Targets: [{ Id: '!@#$@!#$', Arn: lambdaArn('f') }] })))).toEqual({
      name: 'ValidationException',
      message: "1 validation error detected: Value '!@#$@!#$' at 'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
      status: 400,
    });
  });
});

describe('the wire', () => {
  test('an error carries __type, message and the x-amzn-ErrorType header', async () => {
    const res = await fetch(h.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.DescribeRule' },
      body: JSON.stringify({ Name: 'ghost' }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(res.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(typeof res.headers.get('x-amzn-requestid')).toBe('string');
    expect(await res.json()).toEqual({ __type: 'ResourceNotFoundException', message: 'Rule ghost does not exist on EventBus default.' });
  });

  test('operations that are not emulated say so; malformed bodies are SerializationException', async () => {
    const call = (target: string, body: string) =>
      fetch(h.server.url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target }, body }).then(async (r) => [r.status, await r.json()]);
    expect(await call('AWSEvents.CreateConnection', '{}')).toEqual([
      400,
      {
        __type: 'UnknownOperationException',
        message: 'The local EventBridge does not emulate CreateConnection: API destinations and connections (HTTP targets) are not emulated.',
      },
    ]);
    expect(await call('AWSEvents.ListRules', '{not json')).toEqual([400, { __type: 'SerializationException', message: 'Start of structure or map found where not expected.' }]);
  });

  test('the route leaves other requests alone', async () => {
    const res = await fetch(h.server.url, { method: 'POST', headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables' }, body: '{}' });
    expect(res.status).toBe(404);
  });
});
