// kill -9 in the middle of executions (Waits, a Lambda task in flight, a retry interval, a Map, a task
// token), restart on the same data folder: every execution ends with the history AWS would record, no
// completed state entered again, a Wait resumed with the time it had left, the task in flight run again.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { createStepFunctions } from '../../../../local/stepfunctions';
import { eventually, tempDir } from './helpers';

const ROOT = path.resolve(__dirname, '../../../..');
const CHILD = path.join(__dirname, 'fixtures/sfn-child.ts');
const ROLE = 'arn:aws:iam::000000000000:role/sfn';
const lambda = 'arn:aws:states:::lambda:invoke';

interface Child {
  proc: ChildProcess;
  client: SFNClient;
}

async function startChild(dataDir: string, logDir: string): Promise<Child> {
  // node itself with tsx as its loader (not the tsx wrapper), so that SIGKILL reaches the server process
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, logDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`child did not start: ${err}`)), 30_000);
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.once('exit', (code) => reject(new Error(`child exited ${code}: ${err}`)));
  });
  return { proc, client: new SFNClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }) };
}

async function killHard(c: Child): Promise<void> {
  c.client.destroy();
  const gone = new Promise((r) => c.proc.once('exit', r));
  c.proc.kill('SIGKILL');
  await gone;
}

async function history(client: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  return (await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events!;
}

const types = (h: HistoryEvent[]) => h.map((e) => e.type);

describe('executions survive kill -9', () => {
  const dataDir = tempDir('sfn-kill-');
  const logDir = tempDir('sfn-kill-log-');
  let child: Child;
  afterAll(async () => {
    if (child && child.proc.exitCode === null) await killHard(child);
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(logDir, { recursive: true, force: true });
  });

  test('each execution continues from its last entered state and ends as an uninterrupted run would', async () => {
    child = await startChild(dataDir, logDir);
    const create = async (name: string, definition: unknown) =>
      (await child.client.send(new CreateStateMachineCommand({ name, roleArn: ROLE, definition: JSON.stringify(definition) }))).stateMachineArn!;
    const start = async (sm: string, name: string, input: unknown) => (await child.client.send(new StartExecutionCommand({ stateMachineArn: sm, name, input: JSON.stringify(input) }))).executionArn!;

    const waitThenLambda = await create('wait-then-lambda', {
      StartAt: 'Pause',
      States: {
        Pause: { Type: 'Wait', Seconds: 6, Next: 'Add' },
        Add: { Type: 'Task', Resource: lambda, Parameters: { FunctionName: 'kill-increment', 'Payload.$': '$' }, OutputPath: '$.Payload', Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    });
    const inFlight = await create('lambda-in-flight', {
      StartAt: 'Slow',
      States: {
        Slow: { Type: 'Task', Resource: lambda, Parameters: { FunctionName: 'kill-sleep', Payload: { ms: 4000, id: 'in-flight' } }, ResultSelector: { 'slept.$': '$.Payload.slept' }, Next: 'After' },
        After: { Type: 'Pass', Result: 'after', ResultPath: '$.after', End: true },
      },
    });
    const retrying = await create('retry-interval', {
      StartAt: 'Flaky',
      States: {
        Flaky: {
          Type: 'Task',
          Resource: lambda,
          Parameters: { FunctionName: 'kill-flaky', Payload: { 'attempt.$': '$$.State.RetryCount', succeedAt: 1 } },
          Retry: [{ ErrorEquals: ['Error'], IntervalSeconds: 5, MaxAttempts: 3 }],
          OutputPath: '$.Payload',
          End: true,
        },
      },
    });
    const mapped = await create('map-of-waits', {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemSelector: { 'n.$': '$$.Map.Item.Value' },
          ItemProcessor: {
            StartAt: 'W',
            States: {
              W: { Type: 'Wait', SecondsPath: '$.n', Next: 'Inc' },
              Inc: { Type: 'Task', Resource: lambda, Parameters: { FunctionName: 'kill-increment', 'Payload.$': '$' }, OutputPath: '$.Payload', End: true },
            },
          },
          End: true,
        },
      },
    });
    const tokened = await create('task-token', {
      StartAt: 'Approve',
      States: {
        Approve: { Type: 'Task', Resource: `${lambda}.waitForTaskToken`, Parameters: { FunctionName: 'kill-echo', Payload: { 'token.$': '$$.Task.Token' } }, Next: 'Approved' },
        Approved: { Type: 'Pass', End: true },
      },
    });

    const exec = {
      waitThenLambda: await start(waitThenLambda, 'e1', { n: 41 }),
      inFlight: await start(inFlight, 'e2', {}),
      retrying: await start(retrying, 'e3', {}),
      mapped: await start(mapped, 'e4', { items: [1, 4, 8] }),
      tokened: await start(tokened, 'e5', {}),
    };
    // reach the awaited points: the Lambda task in flight, the retry interval, the task submitted, Map iteration 0 done
    await eventually(async () => (fs.existsSync(path.join(logDir, 'in-flight')) ? true : undefined), 15_000, 'the slow Lambda to start');
    await eventually(async () => (types(await history(child.client, exec.retrying)).includes('TaskFailed') ? true : undefined), 15_000, 'the first failure');
    await eventually(async () => (types(await history(child.client, exec.tokened)).includes('TaskSubmitted') ? true : undefined), 15_000, 'the token task');
    await eventually(async () => (types(await history(child.client, exec.mapped)).filter((t) => t === 'MapIterationSucceeded').length >= 1 ? true : undefined), 15_000, 'the first iteration');
    const before = {
      inFlight: types(await history(child.client, exec.inFlight)),
      waitThenLambda: types(await history(child.client, exec.waitThenLambda)),
    };
    expect(before.inFlight).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted']);
    expect(before.waitThenLambda).toEqual(['ExecutionStarted', 'WaitStateEntered']);
    const token = JSON.parse((await history(child.client, exec.tokened)).find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails!.parameters!).Payload.token as string;

    await killHard(child);
    child = await startChild(dataDir, logDir);
    const client = child.client;
    // one process per data folder: the restarted one holds it
    expect(() => createStepFunctions({ dataDir, invokeLambda: async () => ({ status: 'ok', payload: null, requestId: 'x' }), edgeUrl: () => '' })).toThrow(
      `the Step Functions data folder ${dataDir} is in use by process ${child.proc.pid}`,
    );
    await client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":"after the crash"}' }));

    const ended = async (arn: string) =>
      eventually(async () => {
        const d = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
        return d.status === 'RUNNING' ? undefined : d;
      }, 30_000, `${arn} to end`);

    // Wait then Lambda: the Wait kept its deadline
    const d1 = await ended(exec.waitThenLambda);
    expect(d1.status).toBe('SUCCEEDED');
    expect(JSON.parse(d1.output!)).toEqual({ n: 42 });
    const h1 = await history(client, exec.waitThenLambda);
    expect(types(h1)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited', 'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded']);
    const waited = h1[2].timestamp!.getTime() - h1[1].timestamp!.getTime();
    expect(waited).toBeGreaterThanOrEqual(6000);
    expect(waited).toBeLessThan(9000);

    // the Lambda in flight ran again (at least once), recorded once
    const d2 = await ended(exec.inFlight);
    expect(JSON.parse(d2.output!)).toEqual({ slept: 4000, after: 'after' });
    expect(types(await history(client, exec.inFlight))).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    expect(fs.readFileSync(path.join(logDir, 'in-flight'), 'utf8').trim().split('\n')).toHaveLength(2);

    // the retry kept its count: the second attempt (RetryCount 1) succeeds, no third
    const d3 = await ended(exec.retrying);
    expect(JSON.parse(d3.output!)).toEqual({ succeededAt: 1 });
    expect(types(await history(client, exec.retrying))).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskFailed', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);

    // the Map: finished iterations were not run again
    const d4 = await ended(exec.mapped);
    expect(JSON.parse(d4.output!)).toEqual([{ n: 2 }, { n: 5 }, { n: 9 }]);
    const h4 = types(await history(client, exec.mapped));
    expect(h4.filter((t) => t === 'MapIterationStarted')).toHaveLength(3);
    expect(h4.filter((t) => t === 'WaitStateEntered')).toHaveLength(3);
    expect(h4.filter((t) => t === 'TaskSucceeded')).toHaveLength(3);
    expect(h4.filter((t) => t === 'MapStateEntered')).toHaveLength(1);

    // the token survived the restart
    const d5 = await ended(exec.tokened);
    expect(JSON.parse(d5.output!)).toEqual({ approved: 'after the crash' });
    expect(types(await history(client, exec.tokened))).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);

    // every history: ids 1..n, each previousEventId an earlier event
    for (const arn of Object.values(exec)) {
      const h = await history(client, arn);
      expect(h.map((e) => e.id)).toEqual(h.map((_e, i) => i + 1));
      for (const e of h) expect(e.previousEventId!).toBeLessThan(e.id!);
    }
  }, 120_000);
});
