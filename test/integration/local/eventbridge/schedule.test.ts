/**
 * Schedule rules on an injected clock: exact firing times of rate and cron expressions (L, W, #),
 * the "Scheduled Event" sent to the rule's targets, disabling, and no catch-up after a restart.
 */
import { DisableRuleCommand, EnableRuleCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { ManualClock } from '../../../../local/eventbridge';
import { ACCOUNT, queueArn, REGION, Recorder, start, stop, waitFor, type Harness } from './helpers';

const ruleArn = (name: string) => `arn:aws:events:${REGION}:${ACCOUNT}:rule/${name}`;
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('schedules', () => {
  let h: Harness;
  const clock = new ManualClock('2026-03-01T10:02:30Z');
  beforeAll(async () => {
    h = await start({ clock });
  });
  afterAll(() => stop(h));

  const next = (name: string) => iso(h.server.eventBridge.nextScheduledTimes()[ruleArn(name)]);
  const scheduled = (queue: string) =>
    h.sqs.bodies(queueArn(queue)) as Array<{ 'detail-type': string; source: string; time: string; resources: string[]; detail: unknown; account: string; region: string }>;

  test('rate(5 minutes): first event five minutes after the creation minute, then every five minutes', async () => {
    await h.client.send(new PutRuleCommand({ Name: 'every-5', ScheduleExpression: 'rate(5 minutes)' }));
    await h.client.send(new PutTargetsCommand({ Rule: 'every-5', Targets: [{ Id: 'q', Arn: queueArn('ticks') }] }));
    expect(next('every-5')).toBe('2026-03-01T10:07:00.000Z');
    clock.advanceTo(Date.parse('2026-03-01T10:06:59.999Z'));
    await h.server.eventBridge.idle();
    expect(scheduled('ticks')).toHaveLength(0);
    clock.advanceTo(Date.parse('2026-03-01T10:17:00Z'));
    await waitFor(() => scheduled('ticks').length === 3, 5000, 'three scheduled events');
    const events = scheduled('ticks');
    expect(events.map((e) => e.time)).toEqual(['2026-03-01T10:07:00Z', '2026-03-01T10:12:00Z', '2026-03-01T10:17:00Z']);
    expect(events[0]).toMatchObject({
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: ACCOUNT,
      region: REGION,
      resources: [ruleArn('every-5')],
      detail: {},
    });
    expect(next('every-5')).toBe('2026-03-01T10:22:00.000Z');
  });

  test('re-putting the same schedule keeps its phase; a new expression starts over', async () => {
    await h.client.send(new PutRuleCommand({ Name: 'every-5', ScheduleExpression: 'rate(5 minutes)', Description: 'same schedule' }));
    expect(next('every-5')).toBe('2026-03-01T10:22:00.000Z');
    await h.client.send(new PutRuleCommand({ Name: 'every-5', ScheduleExpression: 'rate(1 hour)' }));
    expect(next('every-5')).toBe('2026-03-01T11:17:00.000Z');
  });

  test('cron with L, W, LW and #: the next firing times', async () => {
    const rules: Array<[string, string, string]> = [
      ['last-day', 'cron(0 8 L * ? *)', '2026-03-31T08:00:00.000Z'],
      ['last-weekday', 'cron(0 9 LW * ? *)', '2026-03-31T09:00:00.000Z'],
      ['nearest-weekday-15', 'cron(0 9 15W * ? *)', '2026-03-16T09:00:00.000Z'],
      ['third-saturday', 'cron(0 2 ? * SAT#3 *)', '2026-03-21T02:00:00.000Z'],
      ['last-friday', 'cron(15 10 ? * 6L *)', '2026-03-27T10:15:00.000Z'],
      ['weekday-evenings', 'cron(0/30 20-23 ? * MON-FRI *)', '2026-03-02T20:00:00.000Z'],
    ];
    for (const [name, expr] of rules) await h.client.send(new PutRuleCommand({ Name: name, ScheduleExpression: expr }));
    expect(rules.map(([name]) => next(name))).toEqual(rules.map(([, , at]) => at));
  });

  test('a cron rule fires at its time, then at the next one', async () => {
    await h.client.send(new PutTargetsCommand({ Rule: 'third-saturday', Targets: [{ Id: 'q', Arn: queueArn('third') }] }));
    clock.advanceTo(Date.parse('2026-04-30T00:00:00Z'));
    await waitFor(() => scheduled('third').length === 2, 5000, 'two third Saturdays');
    expect(scheduled('third').map((e) => e.time)).toEqual(['2026-03-21T02:00:00Z', '2026-04-18T02:00:00Z']);
    expect(next('third-saturday')).toBe('2026-05-16T02:00:00.000Z');
  });

  test('a disabled rule does not fire; enabled again, it resumes at its next time without catching up', async () => {
    await h.client.send(new PutRuleCommand({ Name: 'minutely', ScheduleExpression: 'rate(1 minute)' }));
    await h.client.send(new PutTargetsCommand({ Rule: 'minutely', Targets: [{ Id: 'q', Arn: queueArn('minutely') }] }));
    await h.client.send(new DisableRuleCommand({ Name: 'minutely' }));
    expect(next('minutely')).toBeUndefined();
    clock.advance(10 * 60_000);
    await h.server.eventBridge.idle();
    expect(scheduled('minutely')).toHaveLength(0);
    await h.client.send(new EnableRuleCommand({ Name: 'minutely' }));
    clock.advance(60_000);
    await waitFor(() => scheduled('minutely').length === 1, 5000, 'one event');
    expect(scheduled('minutely')).toHaveLength(1);
  });
});

test('after a restart a rate schedule keeps its phase and skips the times it missed', async () => {
  const clock = new ManualClock('2026-03-01T10:02:30Z');
  const sqs = new Recorder();
  let h = await start({ clock, recorders: { lambda: new Recorder(), sfn: new Recorder(), sqs } });
  const dataDir = h.dataDir;
  await h.client.send(new PutRuleCommand({ Name: 'every-5', ScheduleExpression: 'rate(5 minutes)' }));
  await h.client.send(new PutTargetsCommand({ Rule: 'every-5', Targets: [{ Id: 'q', Arn: queueArn('ticks') }] }));
  clock.advanceTo(Date.parse('2026-03-01T10:08:00Z'));
  await waitFor(() => sqs.calls.length === 1, 5000, 'the first event');
  await stop(h, false);
  // stopped from 10:08 to 10:31: the 10:12 … 10:27 events are not sent late
  clock.advanceTo(Date.parse('2026-03-01T10:31:00Z'));
  h = await start({ clock, dataDir, recorders: { lambda: new Recorder(), sfn: new Recorder(), sqs } });
  try {
    await h.server.eventBridge.idle();
    expect(sqs.calls).toHaveLength(1);
    expect(iso(h.server.eventBridge.nextScheduledTimes()[ruleArn('every-5')])).toBe('2026-03-01T10:32:00.000Z');
    clock.advanceTo(Date.parse('2026-03-01T10:32:00Z'));
    await waitFor(() => sqs.calls.length === 2, 5000, 'the next event');
    expect(sqs.bodies().map((e) => (e as { time: string }).time)).toEqual(['2026-03-01T10:07:00Z', '2026-03-01T10:32:00Z']);
  } finally {
    await stop(h);
  }
});
