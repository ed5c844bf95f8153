/**
 * Archives and replays end to end: events archived by pattern, counted, replayed in a time window
 * to the rules of FilterArns with "replay-name", not archived again; the archive and replay API
 * and their errors.
 */
import {
  CancelReplayCommand,
  CreateArchiveCommand,
  CreateEventBusCommand,
  DeleteArchiveCommand,
  DescribeArchiveCommand,
  DescribeReplayCommand,
  ListArchivesCommand,
  ListReplaysCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  StartReplayCommand,
  UpdateArchiveCommand,
} from '@aws-sdk/client-eventbridge';
import { ManualClock } from '../../../../local/eventbridge';
import { ACCOUNT, busArnOf, failure, lambdaArn, REGION, start, stop, waitFor, type Harness } from './helpers';

const clock = new ManualClock('2026-06-01T12:00:00Z');
let h: Harness;
let ruleA: string;
const ids: string[] = [];
const archiveArn = `arn:aws:events:${REGION}:${ACCOUNT}:archive/orders-archive`;

beforeAll(async () => {
  h = await start({ clock });
  await h.client.send(new CreateEventBusCommand({ Name: 'orders' }));
  ruleA = (await h.client.send(new PutRuleCommand({ Name: 'a', EventBusName: 'orders', EventPattern: '{"source": ["orders"]}' }))).RuleArn as string;
  await h.client.send(new PutRuleCommand({ Name: 'b', EventBusName: 'orders', EventPattern: '{"source": ["orders"]}' }));
  await h.client.send(new PutTargetsCommand({ Rule: 'a', EventBusName: 'orders', Targets: [{ Id: 't', Arn: lambdaArn('a') }] }));
  await h.client.send(new PutTargetsCommand({ Rule: 'b', EventBusName: 'orders', Targets: [{ Id: 't', Arn: lambdaArn('b') }] }));
});
afterAll(() => stop(h));

test('an archive keeps the events of its bus that match its pattern', async () => {
  const created = await h.client.send(
    new CreateArchiveCommand({
      ArchiveName: 'orders-archive',
      EventSourceArn: busArnOf('orders'),
      Description: 'order events',
      EventPattern: '{"detail-type": [{"anything-but": "Heartbeat"}]}',
      RetentionDays: 7,
    }),
  );
  expect(created).toMatchObject({ ArchiveArn: archiveArn, State: 'ENABLED', CreationTime: new Date('2026-06-01T12:00:00Z') });
  for (const [type, minute] of [
    ['OrderPlaced', 1],
    ['Heartbeat', 2],
    ['OrderConfirmed', 3],
    ['OrderCancelled', 5],
  ] as const) {
    clock.advanceTo(Date.parse(`2026-06-01T12:0${minute}:00Z`));
    const out = await h.client.send(new PutEventsCommand({ Entries: [{ EventBusName: 'orders', Source: 'orders', DetailType: type, Detail: `{"step":${minute}}` }] }));
    if (type !== 'Heartbeat') ids.push(out.Entries?.[0].EventId as string);
  }
  const d = await h.client.send(new DescribeArchiveCommand({ ArchiveName: 'orders-archive' }));
  expect(d).toMatchObject({
    ArchiveArn: archiveArn,
    ArchiveName: 'orders-archive',
    EventSourceArn: busArnOf('orders'),
    Description: 'order events',
    EventPattern: '{"detail-type": [{"anything-but": "Heartbeat"}]}',
    State: 'ENABLED',
    RetentionDays: 7,
    EventCount: 3,
  });
  expect(d.SizeBytes).toBeGreaterThan(3 * 200);
  const listed = await h.client.send(new ListArchivesCommand({ EventSourceArn: busArnOf('orders') }));
  expect(listed.Archives?.map((a) => [a.ArchiveName, a.EventCount])).toEqual([['orders-archive', 3]]);
});

test('a replay sends the events of its window to the rules it names, with replay-name', async () => {
  await h.server.eventBridge.idle();
  const before = { a: h.lambda.calls.filter((c) => c.arn === lambdaArn('a')).length, b: h.lambda.calls.filter((c) => c.arn === lambdaArn('b')).length };
  clock.advanceTo(Date.parse('2026-06-01T13:00:00Z'));
  const started = await h.client.send(
    new StartReplayCommand({
      ReplayName: 'redo-orders',
      Description: 'first two orders',
      EventSourceArn: archiveArn,
      EventStartTime: new Date('2026-06-01T12:00:30Z'),
      EventEndTime: new Date('2026-06-01T12:04:00Z'),
      Destination: { Arn: busArnOf('orders'), FilterArns: [ruleA] },
    }),
  );
  expect(started).toMatchObject({ ReplayArn: `arn:aws:events:${REGION}:${ACCOUNT}:replay/redo-orders`, State: 'STARTING', ReplayStartTime: new Date('2026-06-01T13:00:00Z') });
  expect((await h.client.send(new DescribeReplayCommand({ ReplayName: 'redo-orders' }))).State).toBe('STARTING');
  clock.advance(0);
  const done = await waitFor(async () => {
    const r = await h.client.send(new DescribeReplayCommand({ ReplayName: 'redo-orders' }));
    return r.State === 'COMPLETED' ? r : undefined;
  });
  expect(done).toMatchObject({
    ReplayName: 'redo-orders',
    Description: 'first two orders',
    EventSourceArn: archiveArn,
    Destination: { Arn: busArnOf('orders'), FilterArns: [ruleA] },
    EventStartTime: new Date('2026-06-01T12:00:30Z'),
    EventEndTime: new Date('2026-06-01T12:04:00Z'),
    EventLastReplayedTime: new Date('2026-06-01T12:03:00Z'),
    ReplayEndTime: new Date('2026-06-01T13:00:00Z'),
  });
  await h.server.eventBridge.idle();
  const replayed = h.lambda.calls.filter((c) => c.arn === lambdaArn('a')).slice(before.a).map((c) => JSON.parse(c.body) as Record<string, unknown>);
  expect(replayed.map((e) => [e.id, e['detail-type'], e['replay-name']])).toEqual([
    [ids[0], 'OrderPlaced', 'redo-orders'],
    [ids[1], 'OrderConfirmed', 'redo-orders'],
  ]);
  expect(Object.keys(replayed[0])).toEqual(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'replay-name', 'resources', 'detail']);
  expect(replayed[0].time).toBe('2026-06-01T12:01:00Z');
  // rule b is not in FilterArns; replayed events are not archived again
  expect(h.lambda.calls.filter((c) => c.arn === lambdaArn('b')).length).toBe(before.b);
  expect((await h.client.send(new DescribeArchiveCommand({ ArchiveName: 'orders-archive' }))).EventCount).toBe(3);
  const list = await h.client.send(new ListReplaysCommand({ EventSourceArn: archiveArn }));
  expect(list.Replays?.map((r) => [r.ReplayName, r.State])).toEqual([['redo-orders', 'COMPLETED']]);
});

test('without FilterArns every rule of the bus gets the replay', async () => {
  await h.server.eventBridge.idle();
  const bBefore = h.lambda.calls.filter((c) => c.arn === lambdaArn('b')).length;
  await h.client.send(
    new StartReplayCommand({
      ReplayName: 'redo-all',
      EventSourceArn: archiveArn,
      EventStartTime: new Date('2026-06-01T12:00:00Z'),
      EventEndTime: new Date('2026-06-01T12:59:00Z'),
      Destination: { Arn: busArnOf('orders') },
    }),
  );
  clock.advance(0);
  await waitFor(async () => (await h.client.send(new DescribeReplayCommand({ ReplayName: 'redo-all' }))).State === 'COMPLETED');
  await h.server.eventBridge.idle();
  const b = h.lambda.calls.filter((c) => c.arn === lambdaArn('b')).slice(bBefore).map((c) => JSON.parse(c.body) as Record<string, unknown>);
  expect(b.map((e) => [e.id, e['replay-name']])).toEqual(ids.map((id) => [id, 'redo-all']));
});

test('replay errors: unknown archive, bad window, another bus, duplicate name, cancel when done', async () => {
  const base = { EventStartTime: new Date('2026-06-01T12:00:00Z'), EventEndTime: new Date('2026-06-01T12:30:00Z'), Destination: { Arn: busArnOf('orders') } };
  expect(await failure(h.client.send(new StartReplayCommand({ ...base, ReplayName: 'x', EventSourceArn: `arn:aws:events:${REGION}:${ACCOUNT}:archive/nope` })))).toEqual({
    name: 'ValidationException',
    message: 'Parameter EventSourceArn is not valid. Reason: Archive nope does not exist.',
    status: 400,
  });
  expect(await failure(h.client.send(new StartReplayCommand({ ...base, ReplayName: 'x', EventSourceArn: archiveArn, EventEndTime: base.EventStartTime })))).toEqual({
    name: 'ValidationException',
    message: 'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.',
    status: 400,
  });
  expect(await failure(h.client.send(new StartReplayCommand({ ...base, ReplayName: 'x', EventSourceArn: archiveArn, Destination: { Arn: busArnOf('default') } })))).toEqual({
    name: 'ValidationException',
    message: 'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.',
    status: 400,
  });
  expect(await failure(h.client.send(new StartReplayCommand({ ...base, ReplayName: 'x', EventSourceArn: archiveArn, Destination: { Arn: busArnOf('nowhere') } })))).toEqual({
    name: 'ResourceNotFoundException',
    message: 'Event bus nowhere does not exist.',
    status: 400,
  });
  expect(await failure(h.client.send(new StartReplayCommand({ ...base, ReplayName: 'redo-orders', EventSourceArn: archiveArn })))).toEqual({
    name: 'ResourceAlreadyExistsException',
    message: 'Replay redo-orders already exists.',
    status: 400,
  });
  expect(await failure(h.client.send(new CancelReplayCommand({ ReplayName: 'redo-orders' })))).toEqual({
    name: 'IllegalStatusException',
    message: 'Replay redo-orders is not in a valid state for this operation.',
    status: 400,
  });
  expect(await failure(h.client.send(new DescribeReplayCommand({ ReplayName: 'nope' })))).toEqual({
    name: 'ResourceNotFoundException',
    message: 'Replay nope does not exist.',
    status: 400,
  });
});

test('a replay cancelled before it runs ends CANCELLED and sends nothing', async () => {
  await h.server.eventBridge.idle();
  const before = h.lambda.calls.length;
  await h.client.send(
    new StartReplayCommand({
      ReplayName: 'to-cancel',
      EventSourceArn: archiveArn,
      EventStartTime: new Date('2026-06-01T12:00:00Z'),
      EventEndTime: new Date('2026-06-01T12:30:00Z'),
      Destination: { Arn: busArnOf('orders') },
    }),
  );
  expect(await h.client.send(new CancelReplayCommand({ ReplayName: 'to-cancel' }))).toMatchObject({
    ReplayArn: `arn:aws:events:${REGION}:${ACCOUNT}:replay/to-cancel`,
    State: 'CANCELLING',
  });
  clock.advance(0);
  await waitFor(async () => (await h.client.send(new DescribeReplayCommand({ ReplayName: 'to-cancel' }))).State === 'CANCELLED', 5000, 'CANCELLED');
  await h.server.eventBridge.idle();
  expect(h.lambda.calls.length).toBe(before);
});

test('archive errors and update, delete', async () => {
  expect(await failure(h.client.send(new CreateArchiveCommand({ ArchiveName: 'orders-archive', EventSourceArn: busArnOf('orders') })))).toEqual({
    name: 'ResourceAlreadyExistsException',
    message: 'Archive orders-archive already exists.',
    status: 400,
  });
  expect(await failure(h.client.send(new CreateArchiveCommand({ ArchiveName: 'x', EventSourceArn: busArnOf('missing-bus') })))).toEqual({
    name: 'ResourceNotFoundException',
    message: 'Event bus missing-bus does not exist.',
    status: 400,
  });
  expect(await failure(h.client.send(new CreateArchiveCommand({ ArchiveName: 'x', EventSourceArn: busArnOf('orders'), EventPattern: '{"a": 1}' })))).toMatchObject({
    name: 'InvalidEventPatternException',
  });
  expect(await failure(h.client.send(new UpdateArchiveCommand({ ArchiveName: 'nope' })))).toEqual({
    name: 'ValidationException',
    message: 'At least one of EventPattern, RetentionDays or Description must be provided.',
    status: 400,
  });
  await h.client.send(new UpdateArchiveCommand({ ArchiveName: 'orders-archive', RetentionDays: 30 }));
  expect((await h.client.send(new DescribeArchiveCommand({ ArchiveName: 'orders-archive' }))).RetentionDays).toBe(30);
  await h.client.send(new CreateArchiveCommand({ ArchiveName: 'scratch', EventSourceArn: busArnOf('orders') }));
  await h.client.send(new DeleteArchiveCommand({ ArchiveName: 'scratch' }));
  expect(await failure(h.client.send(new DescribeArchiveCommand({ ArchiveName: 'scratch' })))).toEqual({
    name: 'ResourceNotFoundException',
    message: 'Archive scratch does not exist.',
    status: 400,
  });
  expect(await failure(h.client.send(new DeleteArchiveCommand({ ArchiveName: 'scratch' })))).toMatchObject({ name: 'ResourceNotFoundException' });
});

test('retention drops archived events older than RetentionDays', async () => {
  await h.client.send(new UpdateArchiveCommand({ ArchiveName: 'orders-archive', RetentionDays: 1 }));
  // the archive's retention runs every hour on the emulator's clock
  clock.advanceTo(Date.parse('2026-06-02T12:00:00Z'));
  await h.server.eventBridge.idle();
  expect((await h.client.send(new DescribeArchiveCommand({ ArchiveName: 'orders-archive' }))).EventCount).toBe(3);
  clock.advanceTo(Date.parse('2026-06-02T13:00:00Z'));
  await waitFor(async () => (await h.client.send(new DescribeArchiveCommand({ ArchiveName: 'orders-archive' }))).EventCount === 0, 5000, 'the events to expire');
});
