/**
 * The deploy-time interface the template deployer calls with resolved CloudFormation properties:
 * AWS::Events::EventBus, AWS::Events::Rule (inline Targets, EventPattern as an object,
 * ScheduleExpression, State) and AWS::Events::Archive, idempotent across redeploys and restarts.
 */
import { DescribeArchiveCommand, DescribeEventBusCommand, DescribeRuleCommand, ListTargetsByRuleCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ManualClock } from '../../../../local/eventbridge';
import { ACCOUNT, busArnOf, lambdaArn, queueArn, REGION, Recorder, start, stop, waitFor, type Harness } from './helpers';

const template = {
  bus: { Name: 'order-events', Description: 'saga outcomes' },
  outcomeRule: {
    Name: 'OrderOutcomeRule-ABC123',
    EventBusName: 'order-events',
    EventPattern: { source: ['ecommerce.orders'], 'detail-type': ['OrderConfirmed', 'OrderCancelled'] },
    State: 'ENABLED' as const,
    Targets: [
      {
        Id: 'Target0',
        Arn: lambdaArn('notify'),
        InputTransformer: { InputPathsMap: { id: '$.detail.orderId' }, InputTemplate: '{"orderId": <id>}' },
        RetryPolicy: { MaximumRetryAttempts: '3' as unknown as number, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: queueArn('notify-dlq') },
      },
    ],
  },
  reconcilerRule: {
    Name: 'ReconcilerSchedule-XYZ',
    ScheduleExpression: 'rate(1 minute)',
    State: 'ENABLED' as const,
    Targets: [{ Id: 'Target0', Arn: lambdaArn('reconciler') }],
  },
  archive: { ArchiveName: 'order-events-archive', SourceArn: busArnOf('order-events'), EventPattern: { source: ['ecommerce.orders'] }, RetentionDays: 30 },
};

async function deployAll(h: Harness) {
  const eb = h.server.eventBridge;
  return {
    bus: eb.deployBus(template.bus),
    outcome: eb.deployRule(template.outcomeRule),
    reconciler: eb.deployRule(template.reconcilerRule),
    archive: await eb.deployArchive(template.archive),
  };
}

test('deploy, redeploy after a restart, update the targets, remove', async () => {
  const clock = new ManualClock('2026-08-01T00:00:20Z');
  const recorders = { lambda: new Recorder(), sfn: new Recorder(), sqs: new Recorder() };
  let h = await start({ clock, recorders });
  const dataDir = h.dataDir;
  try {
    const refs = await deployAll(h);
    expect(refs).toEqual({
      bus: { Ref: 'order-events', Arn: busArnOf('order-events'), Name: 'order-events' },
      outcome: { Ref: 'order-events|OrderOutcomeRule-ABC123', Arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/order-events/OrderOutcomeRule-ABC123` },
      reconciler: { Ref: 'ReconcilerSchedule-XYZ', Arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/ReconcilerSchedule-XYZ` },
      archive: { Ref: 'order-events-archive', Arn: `arn:aws:events:${REGION}:${ACCOUNT}:archive/order-events-archive` },
    });
    expect((await h.client.send(new DescribeEventBusCommand({ Name: 'order-events' }))).Description).toBe('saga outcomes');
    expect((await h.client.send(new DescribeRuleCommand({ Name: 'OrderOutcomeRule-ABC123', EventBusName: 'order-events' }))).EventPattern).toBe(
      JSON.stringify(template.outcomeRule.EventPattern),
    );
    expect((await h.client.send(new ListTargetsByRuleCommand({ Rule: 'OrderOutcomeRule-ABC123', EventBusName: 'order-events' }))).Targets?.[0].RetryPolicy).toEqual({
      MaximumRetryAttempts: 3,
      MaximumEventAgeInSeconds: 3600,
    });
    await h.client.send(new PutEventsCommand({ Entries: [{ EventBusName: 'order-events', Source: 'ecommerce.orders', DetailType: 'OrderConfirmed', Detail: '{"orderId":"o-1"}' }] }));
    await waitFor(() => recorders.lambda.calls.length === 1, 5000, 'the notification');
    expect(recorders.lambda.calls[0]).toEqual({ arn: lambdaArn('notify'), body: '{"orderId": "o-1"}' });
    clock.advanceTo(Date.parse('2026-08-01T00:01:00Z'));
    await waitFor(() => recorders.lambda.calls.length === 2, 5000, 'the reconciler tick');
    expect(recorders.lambda.calls[1].arn).toBe(lambdaArn('reconciler'));
  } finally {
    await stop(h, false);
  }

  clock.advanceTo(Date.parse('2026-08-01T00:01:40Z'));
  h = await start({ clock, dataDir, recorders });
  try {
    // a restart redeploys the same template: nothing changes, nothing is lost
    await deployAll(h);
    expect((await h.client.send(new DescribeArchiveCommand({ ArchiveName: 'order-events-archive' }))).EventCount).toBe(1);
    expect(new Date(h.server.eventBridge.nextScheduledTimes()[`arn:aws:events:${REGION}:${ACCOUNT}:rule/ReconcilerSchedule-XYZ`]).toISOString()).toBe(
      '2026-08-01T00:02:00.000Z',
    );
    // the template changes: one target replaced, the archive's retention changed
    h.server.eventBridge.deployRule({ ...template.outcomeRule, Targets: [{ Id: 'Target1', Arn: queueArn('outcomes') }] });
    expect((await h.client.send(new ListTargetsByRuleCommand({ Rule: 'OrderOutcomeRule-ABC123', EventBusName: 'order-events' }))).Targets).toEqual([
      { Id: 'Target1', Arn: queueArn('outcomes') },
    ]);
    await h.server.eventBridge.deployArchive({ ...template.archive, RetentionDays: 7 });
    expect(await h.client.send(new DescribeArchiveCommand({ ArchiveName: 'order-events-archive' }))).toMatchObject({ RetentionDays: 7, EventCount: 1 });
    // a disabled rule in the template
    h.server.eventBridge.deployRule({ ...template.reconcilerRule, State: 'DISABLED' });
    expect(h.server.eventBridge.nextScheduledTimes()).toEqual({});
    // removal (stack update without them)
    h.server.eventBridge.removeRule('OrderOutcomeRule-ABC123', 'order-events');
    await h.server.eventBridge.removeArchive('order-events-archive');
    h.server.eventBridge.removeBus('order-events');
    expect((await h.client.send(new DescribeEventBusCommand({ Name: 'order-events' })).catch((e: Error) => e)) as Error).toMatchObject({
      name: 'ResourceNotFoundException',
    });
  } finally {
    await stop(h);
  }
});

test('invalid template properties are refused with the API errors', async () => {
  const h = await start();
  try {
    expect(() => h.server.eventBridge.deployRule({ Name: 'bad', EventPattern: { source: 'not-a-list' } })).toThrow(
      'Event pattern is not valid. Reason: "source" must be an object or an array',
    );
    expect(() => h.server.eventBridge.deployRule({ Name: 'bad', ScheduleExpression: 'rate(0 minutes)' })).toThrow('Parameter ScheduleExpression is not valid.');
    await expect(h.server.eventBridge.deployArchive({ ArchiveName: 'a', SourceArn: busArnOf('nope') })).rejects.toThrow('Event bus nope does not exist.');
  } finally {
    await stop(h);
  }
});
