// Integration tests of the local Lambda runtime: real worker-thread execution environments running fixture handlers.
import { InvokeResult, LambdaRuntime, RequestTooLargeError, ResourceNotFoundError } from '../../../../local/lambda';
import { FIXTURE_HANDLERS, fixtureFunction } from '../../../support/functions';
import { until } from '../../../support/poll';


const spec = fixtureFunction;

function ok(r: InvokeResult): Extract<InvokeResult, { status: 'ok' }> {
  if (r.status !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r;
}

interface EchoPayload {
  event: unknown;
  invocations: number;
  loadedAt: number;
  env: Record<string, string | null>;
  context: Record<string, unknown>;
}

describe('LambdaRuntime', () => {
  const lines: Array<[string, string]> = [];
  // shortFunctionMs: generous, so that the echo fixture counts as "very short" even on a loaded machine.
  const runtime = new LambdaRuntime({ onLog: (fn, line) => lines.push([fn, line]), shortFunctionMs: 50 });

  beforeAll(() => {
    runtime.register(spec('fn-a', 'runtime.echo', { environment: { FIXTURE_VALUE: 'alpha' } }));
    runtime.register(spec('fn-b', 'runtime.echo', { environment: { FIXTURE_VALUE: 'beta', OTHER_ONLY: 'b-only', AWS_REGION: 'eu-west-1' }, memoryMb: 256 }));
    runtime.register(spec('fn-timeout', 'runtime.sleep', { timeoutSeconds: 1 }));
    runtime.register(spec('fn-throws', 'runtime.throws'));
    runtime.register(spec('fn-callback', 'runtime.callback'));
    runtime.register(spec('fn-logs', 'runtime.logs'));
    runtime.register(spec('fn-memory', 'runtime.memory', { memoryMb: 128 }));
    runtime.register(spec('fn-crash', 'runtime.crash'));
    runtime.register(spec('fn-capped', 'runtime.sleep', { reservedConcurrency: 2 }));
    runtime.register(spec('fn-missing', 'runtime.nope'));
    runtime.register(spec('fn-nomodule', 'absent.handler'));
    runtime.register(spec('fn-hang', 'runtime.logThenHang', { timeoutSeconds: 1 }));
    runtime.register(spec('fn-spin', 'runtime.spin'));
  });

  afterAll(async () => {
    await runtime.close();
  });

  test('each function gets its own environment variables', async () => {
    const [a, b] = await Promise.all([runtime.invoke('fn-a', { n: 1 }), runtime.invoke('fn-b', { n: 2 })]);
    const pa = ok(a).payload as EchoPayload;
    const pb = ok(b).payload as EchoPayload;
    expect(pa.env.FIXTURE_VALUE).toBe('alpha');
    expect(pa.env.OTHER_ONLY).toBeNull();
    expect(pb.env.FIXTURE_VALUE).toBe('beta');
    expect(pb.env.OTHER_ONLY).toBe('b-only');
    expect(pa.env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'fn-a',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      LAMBDA_TASK_ROOT: FIXTURE_HANDLERS,
      _HANDLER: 'runtime.echo',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/fn-a',
    });
    expect(pb.env).toMatchObject({ AWS_LAMBDA_FUNCTION_NAME: 'fn-b', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256', AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1' });
    // The host process environment is not leaked into functions.
    expect(process.env.FIXTURE_VALUE).toBeUndefined();
  });

  test('cold start runs init once, warm invocations keep module state', async () => {
    runtime.register(spec('fn-warm', 'runtime.echo'));
    const first = ok(await runtime.invoke('fn-warm', { i: 1 }));
    const second = ok(await runtime.invoke('fn-warm', { i: 2 }));
    expect(first.coldStart).toBe(true);
    expect(second.coldStart).toBe(false);
    expect(runtime.coldStarts()['fn-warm']).toBe(1);
    const p1 = first.payload as EchoPayload;
    const p2 = second.payload as EchoPayload;
    expect(p1.invocations).toBe(1);
    expect(p2.invocations).toBe(2);
    expect(p2.loadedAt).toBe(p1.loadedAt);
    expect(p2.event).toEqual({ i: 2 });
    // Init-phase output belongs to the first invocation only.
    expect(first.logs).toContain('init phase of fn-warm');
    expect(second.logs).not.toContain('init phase');
  });

  test('context object and trace id', async () => {
    const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    const r = ok(await runtime.invoke('fn-a', {}, { traceHeader: trace }));
    const p = r.payload as EchoPayload;
    expect(p.context).toMatchObject({
      functionName: 'fn-a',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fn-a',
      memoryLimitInMB: '128',
      awsRequestId: r.requestId,
      logGroupName: '/aws/lambda/fn-a',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(p.context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(p.context.remaining).toBeGreaterThan(0);
    expect(p.context.remaining).toBeLessThanOrEqual(3000);
    expect(p.env._X_AMZN_TRACE_ID).toBe(trace);
    const generated = ok(await runtime.invoke('fn-a', {})).payload as EchoPayload;
    expect(generated.env._X_AMZN_TRACE_ID).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=[01]$/);
  });

  test('client context is decoded into context.clientContext', async () => {
    const cc = Buffer.from(JSON.stringify({ custom: { tenant: 't1' } })).toString('base64');
    const p = ok(await runtime.invoke('fn-a', {}, { clientContext: cc })).payload as EchoPayload;
    expect(p.context.clientContext).toEqual({ custom: { tenant: 't1' } });
  });

  test('timeout terminates the environment and a fresh one serves the next call', async () => {
    const r = await runtime.invoke('fn-timeout', { ms: 2500 });
    expect(r.status).toBe('timeout');
    if (r.status !== 'timeout') return;
    expect(r.errorType).toBe('Sandbox.Timedout');
    expect(r.errorMessage).toBe('Task timed out after 1.00 seconds');
    const next = ok(await runtime.invoke('fn-timeout', { ms: 1 }));
    expect(next.coldStart).toBe(true);
    expect(next.payload).toEqual({ slept: 1, invocations: 1 });
  });

  test('output written before a hang survives the timeout', async () => {
    const r = await runtime.invoke('fn-hang', {});
    expect(r.status).toBe('timeout');
    expect(r.status === 'timeout' && r.logs).toContain('INFO\tabout to hang');
  });

  test('bursts of a very short function are queued behind running environments, each run alone', async () => {
    runtime.register(spec('fn-burst', 'runtime.echo'));
    for (let i = 0; i < 5; i++) ok(await runtime.invoke('fn-burst', {}));
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => runtime.invoke('fn-burst', { i })));
    const payloads = burst.map((r) => ok(r).payload as EchoPayload);
    expect(payloads.map((p) => p.event)).toEqual(Array.from({ length: 30 }, (_, i) => ({ i })));
    // Far fewer environments than invocations: most waited for a warm one instead of starting a worker.
    expect(burst.filter((r) => ok(r).coldStart).length).toBeLessThan(30);
    // the runtime's count of started environments is the invocations that were cold
    expect(runtime.coldStarts()['fn-burst']).toBe(1 + burst.filter((r) => ok(r).coldStart).length);
    // Every invocation ran alone in its environment: the per-environment counters never repeat.
    const seen = new Set(payloads.map((p) => `${String(p.context.logStreamName)}/${p.invocations}`));
    expect(seen.size).toBe(30);
  });

  test('an invocation queued behind one that turns out slow moves to another environment', async () => {
    for (let i = 0; i < 5; i++) ok(await runtime.invoke('fn-spin', { ms: 0 }));
    // The slow one takes the (only) idle environment; the next one queues behind it and must be moved.
    let slowDone = false;
    const slow = runtime.invoke('fn-spin', { ms: 600 }).then((r) => {
      slowDone = true;
      return r;
    });
    const fast = await runtime.invoke('fn-spin', { ms: 0 });
    expect(ok(fast).payload).toBe('spun');
    expect(slowDone).toBe(false);
    expect(ok(await slow).payload).toBe('spun');
  });

  test('a handler that throws returns an error and the environment survives', async () => {
    const r = await runtime.invoke('fn-throws', {});
    expect(r.status).toBe('error');
    if (r.status !== 'error') return;
    expect(r.errorType).toBe('ValidationError');
    expect(r.errorMessage).toBe('bad input 1');
    expect(r.trace[0]).toBe('ValidationError: bad input 1');
    expect(r.trace.some((l) => l.includes('runtime.js'))).toBe(true);
    expect(r.logs).toContain('ERROR\tabout to fail');
    const again = await runtime.invoke('fn-throws', { sync: true });
    expect(again.status).toBe('error');
    if (again.status !== 'error') return;
    expect(again.coldStart).toBe(false);
    expect(again.errorMessage).toBe('bad input 2');
  });

  test('running out of memory is Runtime.OutOfMemory and the environment is replaced', async () => {
    const r = await runtime.invoke('fn-memory', {});
    expect(r.status).toBe('error');
    if (r.status !== 'error') return;
    expect(r.errorType).toBe('Runtime.OutOfMemory');
    expect(r.errorMessage).toContain(r.requestId);
    runtime.register(spec('fn-memory', 'runtime.echo', { memoryMb: 128 }));
    const next = ok(await runtime.invoke('fn-memory', {}));
    expect(next.coldStart).toBe(true);
  });

  test('a crashing runtime is Runtime.ExitError and the next call is cold', async () => {
    const r = await runtime.invoke('fn-crash', {});
    expect(r.status).toBe('error');
    if (r.status !== 'error') return;
    expect(r.errorType).toBe('Runtime.ExitError');
    expect(r.errorMessage).toBe(`RequestId: ${r.requestId} Error: Runtime exited with error: exit status 3`);
    const again = await runtime.invoke('fn-crash', {});
    expect(again.status === 'error' && again.coldStart).toBe(true);
  });

  test('synchronous invokes over the concurrency limit are throttled', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => runtime.invoke('fn-capped', { ms: 300 })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual(['ok', 'ok', 'throttled', 'throttled']);
    const t = results.find((r) => r.status === 'throttled');
    expect(t).toMatchObject({ errorType: 'TooManyRequestsException' });
    // Capacity frees up once the running invocations finish.
    expect((await runtime.invoke('fn-capped', { ms: 1 })).status).toBe('ok');
  });

  test('callback-style handlers', async () => {
    const r = ok(await runtime.invoke('fn-callback', { value: 42 }));
    expect(r.payload).toEqual({ viaCallback: true, value: 42 });
    const e = await runtime.invoke('fn-callback', { fail: true });
    expect(e.status).toBe('error');
    expect(e.status === 'error' && e.errorMessage).toBe('callback failure');
  });

  test('console and stdout output is captured per invocation and streamed to onLog', async () => {
    const r = ok(await runtime.invoke('fn-logs', { n: 7 }));
    expect(r.payload).toBe('logged');
    const logLines = r.logs.trimEnd().split('\n');
    expect(logLines).toContainEqual(expect.stringMatching(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T[^\\t]+\\t${r.requestId}\\tINFO\\thello { n: 7 }$`)));
    expect(logLines).toContainEqual(expect.stringMatching(/\tWARN\tcareful$/));
    expect(logLines).toContain('raw line one');
    expect(logLines).toContain('raw line two');
    const streamed = lines.filter(([fn]) => fn === 'fn-logs').map(([, l]) => l);
    expect(streamed).toEqual(expect.arrayContaining(['raw line one', 'raw line two']));
    // A second invocation only returns its own output.
    const r2 = ok(await runtime.invoke('fn-logs', { n: 8 }));
    expect(r2.logs).toContain('hello { n: 8 }');
    expect(r2.logs).not.toContain('hello { n: 7 }');
  });

  test('Event invocations return at once and run in the background', async () => {
    const before = lines.filter(([fn, l]) => fn === 'fn-logs' && l.includes('hello { n: 99 }')).length;
    const r = await runtime.invoke('fn-logs', { n: 99 }, { invocationType: 'Event' });
    expect(r.status).toBe('ok');
    await until('the background invocation to log', () => lines.filter(([fn, l]) => fn === 'fn-logs' && l.includes('hello { n: 99 }')).length > before);
    expect(lines.filter(([fn, l]) => fn === 'fn-logs' && l.includes('hello { n: 99 }')).length).toBe(before + 1);
  });

  test('init failures: missing handler export and missing module', async () => {
    const a = await runtime.invoke('fn-missing', {});
    expect(a.status === 'error' && a.errorType).toBe('Runtime.HandlerNotFound');
    const b = await runtime.invoke('fn-nomodule', {});
    expect(b.status === 'error' && b.errorType).toBe('Runtime.ImportModuleError');
  });

  test('register replaces a function, get/list find it by name or ARN, unknown names are rejected', async () => {
    runtime.register(spec('fn-replace', 'runtime.echo', { environment: { FIXTURE_VALUE: 'v1' } }));
    const v1 = ok(await runtime.invoke('fn-replace', {}));
    runtime.register(spec('fn-replace', 'runtime.echo', { environment: { FIXTURE_VALUE: 'v2' } }));
    const v2 = ok(await runtime.invoke('arn:aws:lambda:us-east-1:000000000000:function:fn-replace', {}));
    expect((v1.payload as EchoPayload).env.FIXTURE_VALUE).toBe('v1');
    expect((v2.payload as EchoPayload).env.FIXTURE_VALUE).toBe('v2');
    expect(v2.coldStart).toBe(true);
    expect(runtime.get('arn:aws:lambda:us-east-1:000000000000:function:fn-replace')?.name).toBe('fn-replace');
    expect(runtime.list().map((f) => f.name)).toContain('fn-replace');
    await expect(runtime.invoke('no-such-fn', {})).rejects.toBeInstanceOf(ResourceNotFoundError);
  });

  test('payloads over the invocation limits are refused', async () => {
    await expect(runtime.invoke('fn-a', { blob: 'x'.repeat(6 * 1024 * 1024) })).rejects.toBeInstanceOf(RequestTooLargeError);
    await expect(runtime.invoke('fn-a', { blob: 'x'.repeat(300 * 1024) }, { invocationType: 'Event' })).rejects.toBeInstanceOf(RequestTooLargeError);
    expect(ok(await runtime.invoke('fn-a', { blob: 'x'.repeat(300 * 1024) })).coldStart).toBe(false);
  });
});

describe('LambdaRuntime idle reaping', () => {
  const runtime = new LambdaRuntime({ idleTimeoutMs: 100 });
  afterAll(() => runtime.close());

  test('idle environments are reaped, so the next call is cold', async () => {
    runtime.register(spec('fn-idle', 'runtime.echo'));
    expect(ok(await runtime.invoke('fn-idle', {})).coldStart).toBe(true);
    expect(ok(await runtime.invoke('fn-idle', {})).coldStart).toBe(false);
    await until('the idle environment to be reaped', () => runtime.environments('fn-idle').idle === 0);
    expect(ok(await runtime.invoke('fn-idle', {})).coldStart).toBe(true);
  });
});

describe('LambdaRuntime over its local concurrency cap', () => {
  const runtime = new LambdaRuntime({ defaultConcurrency: 2, queueOverLocalLimit: true, shortFunctionMs: 0 });

  beforeAll(() => {
    runtime.register(spec('fn-unreserved', 'runtime.sleep'));
    runtime.register(spec('fn-reserved', 'runtime.sleep', { reservedConcurrency: 2 }));
  });
  afterAll(() => runtime.close());

  test('queues invocations of a function without reserved concurrency instead of throttling them', async () => {
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => runtime.invoke('fn-unreserved', { ms: 200 })));
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    // never more than the cap at once: five 200 ms calls on two environments take three rounds
    expect(results.filter((r) => r.status === 'ok' && r.coldStart)).toHaveLength(2);
  });

  test('still throttles over a reserved concurrency, as AWS does', async () => {
    const results = await Promise.all([1, 2, 3].map(() => runtime.invoke('fn-reserved', { ms: 200 })));
    expect(results.map((r) => r.status).sort()).toEqual(['ok', 'ok', 'throttled']);
  });
});

describe('LambdaRuntime under its machine-wide cap of environments', () => {
  const runtime = new LambdaRuntime({ maxEnvironments: 2, queueOverLocalLimit: true, shortFunctionMs: 0 });

  beforeAll(() => {
    for (const name of ['cap-a', 'cap-b', 'cap-c']) runtime.register(spec(name, 'runtime.sleep'));
  });
  afterAll(() => runtime.close());

  const total = () => ['cap-a', 'cap-b', 'cap-c'].map((f) => runtime.environments(f)).reduce((n, e) => n + e.running + e.idle + e.starting, 0);

  test('a third function recycles the environment idle longest; its function is cold again next time', async () => {
    expect(ok(await runtime.invoke('cap-a', { ms: 1 })).coldStart).toBe(true);
    expect(ok(await runtime.invoke('cap-b', { ms: 1 })).coldStart).toBe(true);
    expect(ok(await runtime.invoke('cap-c', { ms: 1 })).coldStart).toBe(true);
    expect(runtime.environments('cap-a')).toEqual({ running: 0, idle: 0, starting: 0 });
    expect(total()).toBe(2);
    expect(ok(await runtime.invoke('cap-b', { ms: 1 })).coldStart).toBe(false);
    expect(ok(await runtime.invoke('cap-a', { ms: 1 })).coldStart).toBe(true);
    expect(total()).toBe(2);
  });

  test('when every environment is busy, another function waits for one to free up, then runs', async () => {
    const busy = [runtime.invoke('cap-a', { ms: 300 }), runtime.invoke('cap-b', { ms: 300 })];
    await until('both environments to be busy', () => runtime.environments('cap-a').running + runtime.environments('cap-b').running === 2);
    const waiting = runtime.invoke('cap-c', { ms: 1 });
    const results = await Promise.all([...busy, waiting]);
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(total()).toBeLessThanOrEqual(2);
  });
});
