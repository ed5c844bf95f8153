/**
 * State survives a restart of the service: buses, rules with targets, archives with their events,
 * replays, tags, and deliveries waiting for a retry.
 */
import {
  CreateArchiveCommand,
  CreateEventBusCommand,
  DescribeArchiveCommand,
  DescribeEventBusCommand,
  DescribeReplayCommand,
  DescribeRuleCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import fs from 'node:fs';
import path from 'node:path';
import { ManualClock } from '../../../../local/eventbridge';
import { busArnOf, lambdaArn, queueArn, Recorder, start, stop, waitFor, type Harness } from './helpers';

test('everything is there after a restart, and works', async () => {
  const clock = new ManualClock('2026-07-01T08:00:00Z');
  const lambda = new Recorder();
  const recorders = { lambda, sfn: new Recorder(), sqs: new Recorder() };
  let h: Harness = await start({ clock, recorders });
  const dataDir = h.dataDir;
  const pattern = JSON.stringify({ source: ['payments'], detail: { amount: [{ numeric: ['>=', 100] }] } });
  const transformer = { InputPathsMap: { amount: '$.detail.amount' }, InputTemplate: '{"amount": <amount>}' };
  let eventIds: string[] = [];
  try {
    await h.client.send(new CreateEventBusCommand({ Name: 'payments', Description: 'payment events', Tags: [{ Key: 'k', Value: 'v' }] }));
    await h.client.send(new PutRuleCommand({ Name: 'big-payments', EventBusName: 'payments', EventPattern: pattern, State: 'ENABLED' }));
    await h.client.send(
      new PutTargetsCommand({
        Rule: 'big-payments',
        EventBusName: 'payments',
        Targets: [{ Id: 'fn', Arn: lambdaArn('review'), InputTransformer: transformer, RetryPolicy: { MaximumRetryAttempts: 10 }, DeadLetterConfig: { Arn: queueArn('dlq') } }],
      }),
    );
    await h.client.send(new CreateArchiveCommand({ ArchiveName: 'payments-archive', EventSourceArn: busArnOf('payments') }));
    const put = await h.client.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'payments', Source: 'payments', DetailType: 'Captured', Detail: '{"amount": 150}' },
          { EventBusName: 'payments', Source: 'payments', DetailType: 'Captured', Detail: '{"amount": 20}' },
        ],
      }),
    );
    eventIds = put.Entries?.map((e) => e.EventId as string) ?? [];
    await h.server.eventBridge.idle();
    clock.advance(60_000);
    await h.client.send(
      new StartReplayCommand({
        ReplayName: 'before-restart',
        EventSourceArn: 'arn:aws:events:us-east-1:123456789012:archive/payments-archive',
        EventStartTime: new Date('2026-07-01T07:00:00Z'),
        EventEndTime: new Date('2026-07-01T08:00:30Z'),
        Destination: { Arn: busArnOf('payments') },
      }),
    );
    clock.advance(0);
    await waitFor(async () => (await h.client.send(new DescribeReplayCommand({ ReplayName: 'before-restart' }))).State === 'COMPLETED');
    // a delivery that fails now waits for its retry when the service stops
    lambda.failNext(1, () => Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    await h.client.send(new PutEventsCommand({ Entries: [{ EventBusName: 'payments', Source: 'payments', DetailType: 'Captured', Detail: '{"amount": 999}' }] }));
    await h.server.eventBridge.idle();
    expect(lambda.calls.map((c) => c.body)).toEqual(['{"amount": 150}', '{"amount": 150}', '{"amount": 999}']);
  } finally {
    await stop(h, false);
  }
  const state = JSON.parse(fs.readFileSync(path.join(dataDir, 'state.json'), 'utf8')) as { pending: unknown[] };
  expect(state.pending).toHaveLength(1);

  h = await start({ clock, dataDir, recorders });
  try {
    expect((await h.client.send(new DescribeEventBusCommand({ Name: 'payments' }))).Description).toBe('payment events');
    expect((await h.client.send(new ListTagsForResourceCommand({ ResourceARN: busArnOf('payments') }))).Tags).toEqual([{ Key: 'k', Value: 'v' }]);
    expect(await h.client.send(new DescribeRuleCommand({ Name: 'big-payments', EventBusName: 'payments' }))).toMatchObject({ EventPattern: pattern, State: 'ENABLED' });
    expect((await h.client.send(new ListRulesCommand({ EventBusName: 'payments' }))).Rules?.map((r) => r.Name)).toEqual(['big-payments']);
    expect((await h.client.send(new ListTargetsByRuleCommand({ Rule: 'big-payments', EventBusName: 'payments' }))).Targets).toEqual([
      { Id: 'fn', Arn: lambdaArn('review'), InputTransformer: transformer, RetryPolicy: { MaximumRetryAttempts: 10 }, DeadLetterConfig: { Arn: queueArn('dlq') } },
    ]);
    expect(await h.client.send(new DescribeArchiveCommand({ ArchiveName: 'payments-archive' }))).toMatchObject({ EventCount: 3, State: 'ENABLED' });
    expect(await h.client.send(new DescribeReplayCommand({ ReplayName: 'before-restart' }))).toMatchObject({ State: 'COMPLETED', EventLastReplayedTime: new Date('2026-07-01T08:00:00Z') });
    // the retry waiting at the stop is sent after its backoff
    clock.advance(1000);
    await waitFor(() => lambda.calls.length === 4, 5000, 'the retried delivery');
    expect(lambda.calls[3].body).toBe('{"amount": 999}');
    // the rules still route
    await h.client.send(new PutEventsCommand({ Entries: [{ EventBusName: 'payments', Source: 'payments', DetailType: 'Captured', Detail: '{"amount": 100}' }] }));
    await waitFor(() => lambda.calls.length === 5, 5000, 'a new delivery');
    expect(lambda.calls[4].body).toBe('{"amount": 100}');
    expect(eventIds).toHaveLength(2);
  } finally {
    await stop(h);
  }
});
