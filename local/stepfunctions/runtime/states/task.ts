/**
 * Task: runs a service integration and records it as AWS does.
 *
 *   optimized / SDK integration: TaskScheduled, TaskStarted, [TaskSubmitted], TaskSucceeded | TaskFailed | TaskTimedOut
 *   plain Lambda function ARN:   LambdaFunctionScheduled, LambdaFunctionStarted, LambdaFunctionSucceeded | ...Failed | ...TimedOut
 *
 * Parameters are evaluated per attempt (the context's State.RetryCount changes between attempts).
 * `.waitForTaskToken` calls the service, records TaskSubmitted, then waits for SendTaskSuccess/Failure
 * (HeartbeatSeconds arms a timer that SendTaskHeartbeat resets). TimeoutSeconds covers the whole attempt.
 *
 * Resume: the events of the current attempt say where it stopped. A recorded outcome is used as it is;
 * a task submitted with a token waits for it again (the service is not called twice); a task that was
 * scheduled but not finished is called again with the parameters it was scheduled with (at-least-once).
 */
import { abortable } from '../../clock';
import type { Integration, TaskCall } from '../../integrations/types';
import { AbortScope, QueryFault, RuntimeFault, StatesError, TaskTimeout } from '../errors';
import type { StateContext, StateResult } from '../execution';
import { json, truncatedFalse, type StoredEvent } from '../history';
import { bindings, effectiveInput, finishWithResult, scopeOf, taskArguments } from '../io';
import { evalJsonataValue } from '../jsonata';
import { readReference } from '../payload';
import { withRetry } from '../retry';
import { taskTraceHeader } from '../../tracing';

async function seconds(ctx: StateContext, field: 'TimeoutSeconds' | 'HeartbeatSeconds', eff: unknown): Promise<number | undefined> {
  const s = ctx.state;
  const v = s[field];
  const path = s[`${field}Path`];
  if (ctx.ql === 'JSONata' && typeof v === 'string') {
    const x = await evalJsonataValue(v, field, bindings(ctx, {}));
    if (typeof x !== 'number' || !Number.isInteger(x) || x <= 0) throw new QueryFault(`The ${field} field must be a positive integer, but was: ${JSON.stringify(x)}`);
    return x;
  }
  if (typeof v === 'number') return v;
  if (path !== undefined) {
    const r = readReference(path, scopeOf(ctx, eff));
    if (!r.found) throw new RuntimeFault(r.reason);
    if (typeof r.value !== 'number' || !Number.isInteger(r.value) || r.value <= 0) throw new RuntimeFault(`The ${field}Path field refers to value "${JSON.stringify(r.value)}" which is not a valid positive integer: ${path}`);
    return r.value;
  }
  return undefined;
}

export async function runTask(ctx: StateContext): Promise<StateResult> {
  const resource = ctx.state.Resource ?? '';
  const integ = ctx.runner.deps.integrations.resolve(resource);
  if (!integ) throw new RuntimeFault(`The resource '${resource}' is not supported by the local Step Functions`);
  const eff = effectiveInput(ctx);
  const timeout = await seconds(ctx, 'TimeoutSeconds', eff);
  const heartbeat = await seconds(ctx, 'HeartbeatSeconds', eff);
  let lastContext: Record<string, unknown> | undefined;
  const result = await withRetry(ctx, async (retryCount, prior) => {
    const context = ctx.context(undefined, retryCount);
    lastContext = context;
    return attempt(ctx, integ, eff, context, { timeout, heartbeat }, prior);
  });
  return finishWithResult(ctx, result, { context: lastContext });
}

const SCHEDULED = new Set(['TaskScheduled', 'LambdaFunctionScheduled']);

async function attempt(
  ctx: StateContext,
  integ: Integration,
  eff: unknown,
  context: Record<string, unknown>,
  limits: { timeout?: number; heartbeat?: number },
  prior: StoredEvent[] | undefined,
): Promise<unknown> {
  const runner = ctx.runner;
  const legacy = integ.legacyLambda === true;
  const rt = { resourceType: integ.resourceType, resource: integ.resource };
  const sched = prior?.find((e) => SCHEDULED.has(e.type));
  let params: unknown;
  let token: string | undefined;
  let scheduledAt: number;
  if (sched) {
    const d = (sched.taskScheduledEventDetails ?? sched.lambdaFunctionScheduledEventDetails) as { parameters?: string; input?: string };
    params = JSON.parse(d.parameters ?? d.input ?? 'null');
    token = sched._x?.token;
    scheduledAt = sched.timestamp;
  } else {
    if (integ.pattern === 'token') {
      token = runner.deps.tokens.issue(runner.info.executionArn);
      context = { ...context, Task: { Token: token } };
    }
    params = await taskArguments(ctx, eff, context);
    scheduledAt = runner.now;
    if (legacy) {
      const d: Record<string, unknown> = { input: json(params), inputDetails: truncatedFalse, resource: ctx.state.Resource };
      if (limits.timeout !== undefined) d.timeoutInSeconds = limits.timeout;
      ctx.emit('LambdaFunctionScheduled', d);
    } else {
      const d: Record<string, unknown> = { ...rt, region: runner.deps.region, parameters: json(params) };
      if (limits.timeout !== undefined) d.timeoutInSeconds = limits.timeout;
      if (limits.heartbeat !== undefined) d.heartbeatInSeconds = limits.heartbeat;
      ctx.emit('TaskScheduled', d, token ? { token } : undefined);
    }
  }
  const has = (t: string) => prior?.find((e) => e.type === t);
  if (!has(legacy ? 'LambdaFunctionStarted' : 'TaskStarted')) {
    if (legacy) ctx.emit('LambdaFunctionStarted');
    else ctx.emit('TaskStarted', rt);
  }
  const recorded = prior?.find((e) => /^(Task|LambdaFunction)(Succeeded|Failed|TimedOut)$/.test(e.type));
  if (recorded) return replayOutcome(recorded);

  const scope = new AbortScope(ctx.thread.signal);
  const call: TaskCall = {
    params,
    token,
    signal: scope.signal,
    // the function's segments hang under this state's subsegment (../../tracing.ts)
    traceHeader: taskTraceHeader(runner.info.traceHeader, runner.info.executionArn, ctx.enteredId),
    executionArn: runner.info.executionArn,
    timeoutSeconds: limits.timeout,
  };
  const deadline = limits.timeout !== undefined ? scheduledAt + limits.timeout * 1000 : undefined;
  runner.flush();
  try {
    const submitted = has('TaskSubmitted');
    let out: unknown;
    let submittedOutput: unknown = submitted ? JSON.parse((submitted.taskSubmittedEventDetails as { output: string }).output) : undefined;
    if (!submitted) {
      out = await withDeadline(integ.call(call), deadline, runner.deps.clock.now, scope);
      if (integ.pattern !== 'request') {
        submittedOutput = out;
        ctx.emit('TaskSubmitted', { ...rt, output: json(out), outputDetails: truncatedFalse });
      }
    }
    if (integ.pattern === 'token') {
      runner.idle();
      out = await withDeadline(runner.deps.tokens.wait(token!, runner.info.executionArn, { signal: scope.signal, heartbeatSeconds: limits.heartbeat }), deadline, runner.deps.clock.now, scope);
    } else if (integ.pattern === 'sync' && integ.waitSync) {
      out = await withDeadline(integ.waitSync(submittedOutput, call), deadline, runner.deps.clock.now, scope);
    }
    if (legacy) ctx.emit('LambdaFunctionSucceeded', { output: json(out), outputDetails: truncatedFalse });
    else ctx.emit('TaskSucceeded', { ...rt, output: json(out), outputDetails: truncatedFalse });
    return out;
  } catch (e) {
    if (e instanceof TaskTimeout) {
      if (legacy) ctx.emit('LambdaFunctionTimedOut', { error: 'States.Timeout' }, e.heartbeat ? { heartbeat: true } : undefined);
      else ctx.emit('TaskTimedOut', { ...rt, error: 'States.Timeout' }, e.heartbeat ? { heartbeat: true } : undefined);
    } else if (e instanceof StatesError) {
      const d: Record<string, unknown> = legacy ? {} : { ...rt };
      if (e.error) d.error = e.error;
      if (e.errorCause !== null) d.cause = e.errorCause;
      ctx.emit(legacy ? 'LambdaFunctionFailed' : 'TaskFailed', d);
    }
    throw e;
  } finally {
    scope.dispose();
  }
}

function replayOutcome(e: StoredEvent): unknown {
  if (/Succeeded$/.test(e.type)) {
    const d = (e.taskSucceededEventDetails ?? e.lambdaFunctionSucceededEventDetails) as { output: string };
    return JSON.parse(d.output);
  }
  if (/TimedOut$/.test(e.type)) throw new TaskTimeout(e._x?.heartbeat === true);
  const d = (e.taskFailedEventDetails ?? e.lambdaFunctionFailedEventDetails) as { error?: string; cause?: string };
  throw new StatesError(d.error ?? '', d.cause ?? null);
}

/**
 * Races a call against the task's deadline (a real timer) and the abort signal (execution stopped, a
 * sibling branch failed). On timeout the call is aborted and TaskTimeout raised.
 */
async function withDeadline<T>(p: Promise<T>, deadline: number | undefined, now: () => number, scope: AbortScope): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stop = abortable(scope.signal, (done) => {
    if (deadline !== undefined) timer = setTimeout(done, Math.max(0, Math.min(deadline - now(), 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }).then(() => {
    const t = new TaskTimeout(false);
    scope.abort(t);
    throw t;
  });
  stop.catch(() => undefined);
  p.catch(() => undefined);
  try {
    return await Promise.race([p, stop]);
  } finally {
    clearTimeout(timer);
  }
}
