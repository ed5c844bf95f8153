/**
 * PutEvents through the client: per-entry failures as AWS reports them, the event as rules see it,
 * and delivery to Lambda, Step Functions, SQS and bus targets with exactly the input their
 * settings produce; then retries with backoff and the dead-letter queue, on a manual clock.
 */
import { CreateEventBusCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { ManualClock } from '../../../../local/eventbridge';
import { ACCOUNT, busArnOf, failure, lambdaArn, queueArn, REGION, start, stateMachineArn, stop, waitFor, type Harness } from './helpers';

const detail = { orderId: 'o-1', total: 59998, currency: 'USD', items: [{ sku: 'PROD-001', qty: 2 }] };

describe('PutEvents', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
    await h.client.send(new PutRuleCommand({ Name: 'all-orders', EventPattern: JSON.stringify({ source: ['orders'] }) }));
    await h.client.send(new PutTargetsCommand({ Rule: 'all-orders', Targets: [{ Id: 'sink', Arn: queueArn('sink') }] }));
  });
  afterAll(() => stop(h));

  test('per-entry failures: missing Source, DetailType or Detail, malformed Detail, a reserved source', async () => {
    const out = await h.client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'orders', DetailType: 'OrderPlaced', Detail: JSON.stringify(detail) },
          { DetailType: 'OrderPlaced', Detail: '{}' },
          { Source: 'orders', Detail: '{}' },
          { Source: 'orders', DetailType: 'OrderPlaced' },
          { Source: 'orders', DetailType: 'OrderPlaced', Detail: '{"unclosed": ' },
          { Source: 'orders', DetailType: 'OrderPlaced', Detail: '["an", "array"]' },
          { Source: 'orders', DetailType: 'OrderPlaced', Detail: '"a string"' },
          { Source: 'aws.ec2', DetailType: 'EC2 Instance State-change Notification', Detail: '{}' },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(7);
    expect(out.Entries?.[0]).toEqual({ EventId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(out.Entries?.slice(1)).toEqual([
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' },
    ]);
  });

  test('the event as rules and targets see it', async () => {
    const before = h.sqs.calls.length;
    const out = await h.client.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'orders',
            DetailType: 'OrderPlaced',
            Detail: JSON.stringify(detail),
            Resources: ['arn:aws:dynamodb:us-east-1:123456789012:table/orders'],
            Time: new Date('2026-05-04T03:02:01.999Z'),
          },
        ],
      }),
    );
    const id = out.Entries?.[0].EventId;
    const got = await waitFor(() => h.sqs.calls[before], 5000, 'the SQS target');
    expect(got.arn).toBe(queueArn('sink'));
    const event = JSON.parse(got.body) as Record<string, unknown>;
    expect(Object.keys(event)).toEqual(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
    expect(event).toEqual({
      version: '0',
      id,
      'detail-type': 'OrderPlaced',
      source: 'orders',
      account: ACCOUNT,
      time: '2026-05-04T03:02:01Z',
      region: REGION,
      resources: ['arn:aws:dynamodb:us-east-1:123456789012:table/orders'],
      detail,
    });
  });

  test('more than 10 entries, or more than 256 KiB, are refused whole', async () => {
    const eleven = Array.from({ length: 11 }, () => ({ Source: 'orders', DetailType: 'OrderPlaced', Detail: '{}' }));
    const e = await failure(h.client.send(new PutEventsCommand({ Entries: eleven })));
    expect(e.name).toBe('ValidationException');
    expect(e.message).toBe(
      `1 validation error detected: Value '[${Array(11)
        .fill('PutEventsRequestEntry(time=null, source=orders, resources=null, detailType=OrderPlaced, detail={}, eventBusName=null, traceHeader=null, kmsKeyIdentifier=null, internalMetadata=null)')
        .join(', ')}]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10`,
    );
    const big = JSON.stringify({ blob: 'x'.repeat(256 * 1024) });
    expect(await failure(h.client.send(new PutEventsCommand({ Entries: [{ Source: 'orders', DetailType: 'Big', Detail: big }] })))).toEqual({
      name: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
      status: 400,
    });
  });

  test('an entry for a bus that does not exist is accepted and dropped, as AWS does, and logged', async () => {
    const out = await h.client.send(new PutEventsCommand({ Entries: [{ Source: 'orders', DetailType: 'OrderPlaced', Detail: '{}', EventBusName: 'ghost-bus' }] }));
    expect(out.FailedEntryCount).toBe(0);
    const id = out.Entries?.[0].EventId as string;
    expect(h.logs.some((l) => l.includes(id) && l.includes('ghost-bus') && l.includes('does not exist'))).toBe(true);
  });
});

describe('targets receive exactly their input', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
    await h.client.send(new CreateEventBusCommand({ Name: 'saga' }));
    await h.client.send(
      new PutRuleCommand({
        Name: 'order-outcome',
        EventBusName: 'saga',
        EventPattern: JSON.stringify({ source: ['orders'], 'detail-type': ['OrderConfirmed', 'OrderCancelled'], detail: { total: [{ numeric: ['>', 0] }] } }),
      }),
    );
    await h.client.send(
      new PutTargetsCommand({
        Rule: 'order-outcome',
        EventBusName: 'saga',
        Targets: [
          { Id: 'whole-event', Arn: lambdaArn('audit') },
          {
            Id: 'notify',
            Arn: lambdaArn('notify'),
            InputTransformer: {
              InputPathsMap: { order: '$.detail.orderId', total: '$.detail.total', outcome: '$.detail-type', items: '$.detail.items' },
              InputTemplate: '{"order": <order>, "amount": <total>, "outcome": "<outcome>", "items": <items>, "rule": <aws.events.rule-name>}',
            },
          },
          {
            Id: 'reconcile',
            Arn: stateMachineArn('reconciler'),
            InputTransformer: { InputPathsMap: { order: '$.detail.orderId' }, InputTemplate: '"Order <order> ended as <aws.events.rule-name>"' },
          },
          { Id: 'detail-only', Arn: queueArn('outcomes.fifo'), InputPath: '$.detail', SqsParameters: { MessageGroupId: 'orders' } },
          { Id: 'constant', Arn: queueArn('pings'), Input: '{"ping": true}' },
        ],
      }),
    );
  });
  afterAll(() => stop(h));

  test('Lambda, Step Functions, SQS: the event, a JSON template, a string template, InputPath, Input', async () => {
    const out = await h.client.send(new PutEventsCommand({ Entries: [{ EventBusName: 'saga', Source: 'orders', DetailType: 'OrderConfirmed', Detail: JSON.stringify(detail) }] }));
    const id = out.Entries?.[0].EventId;
    await waitFor(() => h.lambda.calls.length === 2 && h.sfn.calls.length === 1 && h.sqs.calls.length === 2, 5000, 'five deliveries');
    const byArn = (calls: typeof h.lambda.calls, arn: string) => calls.filter((c) => c.arn === arn);
    const whole = JSON.parse(byArn(h.lambda.calls, lambdaArn('audit'))[0].body) as Record<string, unknown>;
    expect(whole).toMatchObject({ id, source: 'orders', 'detail-type': 'OrderConfirmed', detail });
    expect(byArn(h.lambda.calls, lambdaArn('notify'))[0].body).toBe(
      '{"order": "o-1", "amount": 59998, "outcome": "OrderConfirmed", "items": [{"sku":"PROD-001","qty":2}], "rule": "order-outcome"}',
    );
    expect(h.sfn.calls).toEqual([{ arn: stateMachineArn('reconciler'), body: '"Order o-1 ended as order-outcome"' }]);
    expect(byArn(h.sqs.calls, queueArn('outcomes.fifo'))).toEqual([
      { arn: queueArn('outcomes.fifo'), body: JSON.stringify(detail), options: { messageGroupId: 'orders' } },
    ]);
    expect(byArn(h.sqs.calls, queueArn('pings'))[0].body).toBe('{"ping": true}');
  });

  test('an event the pattern does not match reaches no target', async () => {
    const lambdaBefore = h.lambda.calls.length;
    await h.client.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'saga', Source: 'orders', DetailType: 'OrderPlaced', Detail: JSON.stringify(detail) },
          { EventBusName: 'saga', Source: 'orders', DetailType: 'OrderConfirmed', Detail: JSON.stringify({ ...detail, total: 0 }) },
          { EventBusName: 'saga', Source: 'orders', DetailType: 'OrderCancelled', Detail: JSON.stringify({ ...detail, orderId: 'o-2' }) },
        ],
      }),
    );
    await waitFor(() => h.lambda.calls.length === lambdaBefore + 2, 5000, 'the cancelled order');
    await h.server.eventBridge.idle();
    expect(h.lambda.bodies(lambdaArn('audit')).map((e) => (e as { detail: { orderId: string } }).detail.orderId)).toEqual(['o-1', 'o-2']);
  });

  test('an event bus target routes the event on that bus', async () => {
    await h.client.send(new CreateEventBusCommand({ Name: 'partners' }));
    await h.client.send(new PutRuleCommand({ Name: 'partner-in', EventBusName: 'partners', EventPattern: JSON.stringify({ source: ['orders'] }) }));
    await h.client.send(new PutTargetsCommand({ Rule: 'partner-in', EventBusName: 'partners', Targets: [{ Id: 'p', Arn: lambdaArn('partner') }] }));
    await h.client.send(new PutRuleCommand({ Name: 'forward', EventBusName: 'saga', EventPattern: JSON.stringify({ 'detail-type': ['OrderShipped'] }) }));
    await h.client.send(new PutTargetsCommand({ Rule: 'forward', EventBusName: 'saga', Targets: [{ Id: 'bus', Arn: busArnOf('partners') }] }));
    const out = await h.client.send(new PutEventsCommand({ Entries: [{ EventBusName: 'saga', Source: 'orders', DetailType: 'OrderShipped', Detail: '{"orderId":"o-9"}' }] }));
    const got = await waitFor(() => h.lambda.calls.find((c) => c.arn === lambdaArn('partner')), 5000, 'the partner bus target');
    expect(JSON.parse(got.body)).toMatchObject({ id: out.Entries?.[0].EventId, 'detail-type': 'OrderShipped', detail: { orderId: 'o-9' } });
  });
});

describe('retries with backoff, then the dead-letter queue (manual clock)', () => {
  let h: Harness;
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  beforeAll(async () => {
    h = await start({ clock });
    await h.client.send(new PutRuleCommand({ Name: 'flaky', EventPattern: JSON.stringify({ source: ['flaky'] }) }));
  });
  afterAll(() => stop(h));

  const put = (source: string) => h.client.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'T', Detail: '{"n":1}' }] }));

  test('a failing target is retried after 1 s, 2 s, 4 s … until it accepts', async () => {
    await h.client.send(new PutTargetsCommand({ Rule: 'flaky', Targets: [{ Id: 'fn', Arn: lambdaArn('flaky') }] }));
    h.lambda.failNext(3, () => Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    await put('flaky');
    await h.server.eventBridge.idle();
    expect(h.lambda.calls).toHaveLength(1);
    expect(clock.pending()[0] - clock.now()).toBe(1000);
    for (const wait of [1000, 2000, 4000]) {
      expect(clock.pending()[0] - clock.now()).toBe(wait);
      clock.advance(wait - 1);
      await h.server.eventBridge.idle();
      const before = h.lambda.calls.length;
      clock.advance(1);
      await h.server.eventBridge.idle();
      expect(h.lambda.calls.length).toBe(before + 1);
    }
    expect(h.lambda.calls).toHaveLength(4);
    expect(h.server.eventBridge.stats()).toMatchObject({ delivered: 1, retried: 3, deadLettered: 0, dropped: 0 });
  });

  test('retries exhausted: the event goes to the DLQ with AWS attributes', async () => {
    await h.client.send(new PutRuleCommand({ Name: 'broken', EventPattern: JSON.stringify({ source: ['broken'] }) }));
    await h.client.send(
      new PutTargetsCommand({
        Rule: 'broken',
        Targets: [{ Id: 'fn', Arn: lambdaArn('broken'), RetryPolicy: { MaximumRetryAttempts: 2 }, DeadLetterConfig: { Arn: queueArn('broken-dlq') } }],
      }),
    );
    h.lambda.failAlways(() => new Error('function crashed'));
    const out = await put('broken');
    await h.server.eventBridge.idle();
    clock.advance(1000);
    await h.server.eventBridge.idle();
    clock.advance(2000);
    await h.server.eventBridge.idle();
    h.lambda.failAlways(null);
    const dlq = h.sqs.calls.filter((c) => c.arn === queueArn('broken-dlq'));
    expect(h.lambda.calls.filter((c) => c.arn === lambdaArn('broken'))).toHaveLength(3);
    expect(dlq).toHaveLength(1);
    expect(JSON.parse(dlq[0].body)).toMatchObject({ id: out.Entries?.[0].EventId, source: 'broken' });
    expect(dlq[0].options?.attributes).toEqual({
      RULE_ARN: `arn:aws:events:${REGION}:${ACCOUNT}:rule/broken`,
      TARGET_ARN: lambdaArn('broken'),
      ERROR_CODE: 'SDK_CLIENT_ERROR',
      ERROR_MESSAGE: 'function crashed',
      RETRY_ATTEMPTS: '2',
      EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
    });
  });

  test('a target that does not exist is not retried: straight to the DLQ', async () => {
    await h.client.send(new PutRuleCommand({ Name: 'gone', EventPattern: JSON.stringify({ source: ['gone'] }) }));
    await h.client.send(new PutTargetsCommand({ Rule: 'gone', Targets: [{ Id: 'fn', Arn: lambdaArn('gone'), DeadLetterConfig: { Arn: queueArn('gone-dlq') } }] }));
    h.lambda.failNext(1, () => Object.assign(new Error('Function not found: gone'), { name: 'ResourceNotFoundException' }));
    await put('gone');
    await h.server.eventBridge.idle();
    const dlq = h.sqs.calls.filter((c) => c.arn === queueArn('gone-dlq'));
    expect(dlq).toHaveLength(1);
    expect(dlq[0].options?.attributes).toMatchObject({ ERROR_CODE: 'NO_RESOURCE', ERROR_MESSAGE: 'Function not found: gone', RETRY_ATTEMPTS: '0' });
    expect(dlq[0].options?.attributes?.EXHAUSTED_RETRY_CONDITION).toBeUndefined();
  });

  test('the event age limit ends the retries too', async () => {
    await h.client.send(new PutRuleCommand({ Name: 'old', EventPattern: JSON.stringify({ source: ['old'] }) }));
    await h.client.send(
      new PutTargetsCommand({
        Rule: 'old',
        Targets: [{ Id: 'fn', Arn: lambdaArn('old'), RetryPolicy: { MaximumEventAgeInSeconds: 60 }, DeadLetterConfig: { Arn: queueArn('old-dlq') } }],
      }),
    );
    h.lambda.failAlways(() => new Error('still down'));
    await put('old');
    // retries after 1, 2, 4, 8, 16 s (31 s); the next one (32 s later) would be past 60 s
    for (const wait of [1000, 2000, 4000, 8000, 16000]) {
      await h.server.eventBridge.idle();
      clock.advance(wait);
    }
    await h.server.eventBridge.idle();
    h.lambda.failAlways(null);
    expect(h.lambda.calls.filter((c) => c.arn === lambdaArn('old'))).toHaveLength(6);
    const dlq = h.sqs.calls.filter((c) => c.arn === queueArn('old-dlq'));
    expect(dlq.map((d) => d.options?.attributes?.EXHAUSTED_RETRY_CONDITION)).toEqual(['MaximumEventAgeInSeconds']);
    expect(dlq[0].options?.attributes?.RETRY_ATTEMPTS).toBe('5');
  });

  test('an input transformer that makes invalid JSON is not retried: the DLQ gets the event', async () => {
    await h.client.send(new PutRuleCommand({ Name: 'bad-template', EventPattern: JSON.stringify({ source: ['tmpl'] }) }));
    await h.client.send(
      new PutTargetsCommand({
        Rule: 'bad-template',
        Targets: [
          {
            Id: 'fn',
            Arn: lambdaArn('tmpl'),
            InputTransformer: { InputPathsMap: { d: '$.detail' }, InputTemplate: '{"quoted": "<d>"}' },
            DeadLetterConfig: { Arn: queueArn('tmpl-dlq') },
          },
        ],
      }),
    );
    await put('tmpl');
    await h.server.eventBridge.idle();
    expect(h.lambda.calls.filter((c) => c.arn === lambdaArn('tmpl'))).toHaveLength(0);
    const dlq = h.sqs.calls.filter((c) => c.arn === queueArn('tmpl-dlq'));
    expect(dlq.map((d) => d.options?.attributes?.ERROR_CODE)).toEqual(['INVALID_JSON']);
  });
});
