/**
 * The local CloudWatch Logs through `@aws-sdk/client-cloudwatch-logs`, over the log files a
 * function in the local Lambda runtime writes (as the local cloud writes them).
 */
import { CloudWatchLogsClient, DescribeLogGroupsCommand, DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEdge } from '../../../../local/edge';
import { LambdaRuntime } from '../../../../local/lambda';
import { createLogs } from '../../../../local/logs';
import { Progress } from '../../../../local/progress';
import { fixtureFunction } from '../../../support/functions';
import { eventually } from '../../../support/poll';

describe('local CloudWatch Logs', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'logs-'));
  const progress = new Progress({ logDir: dir });
  const write = progress.functionLog(dir);
  let edge: Awaited<ReturnType<typeof startEdge>>;
  let client: CloudWatchLogsClient;
  let runtime: LambdaRuntime;
  const group = '/aws/lambda/logged';

  beforeAll(async () => {
    const logs = createLogs({
      logDir: dir,
      region: 'us-east-1',
      accountId: '000000000000',
      sources: () => [
        { logGroupName: group, file: 'logged.log', kind: 'lambda' },
        { logGroupName: '/aws/vendedlogs/states/saga', file: 'saga.log', kind: 'states' },
      ],
    });
    edge = await startEdge({ port: 0, services: [{ name: 'logs', targets: [logs.targetPrefix], route: logs.route }] });
    client = new CloudWatchLogsClient({ endpoint: edge.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    runtime = new LambdaRuntime({ onLog: (fn, line) => write(fn, line) });
    runtime.register(fixtureFunction('logged', 'runtime.logs'));
    appendFileSync(path.join(dir, 'saga.log'), `${JSON.stringify({ id: '1', type: 'ExecutionStarted', details: {}, previous_event_id: '0', event_timestamp: String(Date.UTC(2026, 10, 29, 8)), execution_arn: 'arn:x' })}\n`);
  });

  afterAll(async () => {
    client.destroy();
    await runtime.close();
    await progress.close();
    await edge.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const events = async () => (await client.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: await stream(), startFromHead: true }))).events ?? [];
  const stream = async () => (await client.send(new DescribeLogStreamsCommand({ logGroupName: group }))).logStreams![0]!.logStreamName!;

  it('names the groups as the template does, and the services the rest', async () => {
    expect((await runtime.invoke('logged', { n: 1 })).status).toBe('ok');
    await eventually('the function log', async () => ((await events()).length >= 4 ? true : undefined));
    const groups = await client.send(new DescribeLogGroupsCommand({}));
    expect(groups.logGroups!.map((g) => g.logGroupName)).toEqual(['/aws/lambda/logged', '/aws/vendedlogs/states/saga']);
    expect(groups.logGroups![0]!.arn).toBe('arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/logged:*');
    const prefixed = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/vended' }));
    expect(prefixed.logGroups!.map((g) => g.logGroupName)).toEqual(['/aws/vendedlogs/states/saga']);
    const sagaStreams = await client.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/vendedlogs/states/saga' }));
    expect(sagaStreams.logStreams!.map((s) => [s.logStreamName!.split('/').slice(0, 3).join('/'), s.firstEventTimestamp])).toEqual([['states/saga/2026-11-29', Date.UTC(2026, 10, 29, 8)]]);
  });

  it('reads a stream from its head, then only what came after the forward token', async () => {
    const s = await stream();
    expect(s).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    const first = await client.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: s, startFromHead: true }));
    const messages = first.events!.map((e) => e.message!);
    expect(messages[0]).toMatch(/^START RequestId: /);
    expect(messages.some((m) => /\tINFO\thello \{ n: 1 \}$/.test(m))).toBe(true);
    expect(messages).toContain('raw line two');
    expect(messages[messages.length - 1]).toMatch(/^REPORT RequestId: /);
    expect(first.events!.every((e) => typeof e.timestamp === 'number' && e.timestamp > 0)).toBe(true);
    const idle = await client.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: s, nextToken: first.nextForwardToken }));
    expect([idle.events, idle.nextForwardToken]).toEqual([[], first.nextForwardToken]);
    expect((await runtime.invoke('logged', { n: 2 })).status).toBe('ok');
    const next = await eventually('the second invocation', async () => {
      const r = await client.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: s, nextToken: first.nextForwardToken }));
      return r.events!.some((e) => e.message!.startsWith('REPORT')) ? r : undefined;
    });
    expect(next.events![0]!.message).toMatch(/^START RequestId: /);
    const firstId = /RequestId: (\S+)/.exec(messages[0]!)![1];
    expect(next.events!.some((e) => e.message!.includes(firstId!))).toBe(false);
    const latest = await client.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: s, limit: 2 }));
    expect(latest.events!.map((e) => e.message!.split(' ')[0])).toEqual(['END', 'REPORT']);
  });

  it('filters events with terms and JSON patterns, with stream names and event ids', async () => {
    const errors = await client.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: 'WARN careful' }));
    expect(errors.events!.length).toBe(2);
    expect(errors.events!.every((e) => /\tWARN\tcareful$/.test(e.message!) && e.logStreamName === errors.events![0]!.logStreamName && /^\d{56}$/.test(e.eventId!))).toBe(true);
    const reports = await client.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '"REPORT RequestId"', limit: 1 }));
    expect(reports.events!.length).toBe(1);
    const rest = await client.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '"REPORT RequestId"', nextToken: reports.nextToken }));
    expect(rest.events!.length).toBe(1);
    expect(rest.nextToken).toBeUndefined();
    const saga = await client.send(new FilterLogEventsCommand({ logGroupName: '/aws/vendedlogs/states/saga', filterPattern: '{ $.type = "Execution*" }' }));
    expect(saga.events!.map((e) => e.timestamp)).toEqual([Date.UTC(2026, 10, 29, 8)]);
    const later = await client.send(new FilterLogEventsCommand({ logGroupName: '/aws/vendedlogs/states/saga', startTime: Date.UTC(2026, 10, 29, 9) }));
    expect(later.events).toEqual([]);
  });

  it('answers errors as CloudWatch Logs does', async () => {
    await expect(client.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/none' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'The specified log group does not exist.' });
    await expect(client.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '{ $.x = }' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(client.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 'nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'The specified log stream does not exist.' });
  });
});
