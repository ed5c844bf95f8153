/**
 * Parallel: every branch runs on the same input; the result is the array of their outputs. The first
 * branch to fail stops the others (their current state records <Type>StateAborted) and the state fails
 * with that branch's error (ParallelStateFailed), which its Retry and Catch then see.
 *
 * History: ParallelStateEntered, ParallelStateStarted, the branches' events, ParallelStateSucceeded |
 * ParallelStateFailed, ParallelStateExited.
 */
import { AbortScope, BranchAborted, StatesError } from '../errors';
import { Thread, type StateContext, type StateResult } from '../execution';
import type { StoredEvent } from '../history';
import { effectiveInput, finishWithResult, taskArguments } from '../io';
import { withRetry } from '../retry';
import { newVarScope } from '../variables';

export async function runParallel(ctx: StateContext): Promise<StateResult> {
  const eff = effectiveInput(ctx);
  const branches = ctx.state.Branches ?? [];
  const result = await withRetry(ctx, async (retryCount, prior) => {
    const context = ctx.context(undefined, retryCount);
    const input = await taskArguments(ctx, eff, context);
    return runBranches(ctx, prior, 'Parallel', branches.length, (i, thread) => ctx.runner.runBranch(branches[i], input, thread, ctx.ql));
  });
  return finishWithResult(ctx, result);
}

/**
 * Runs n child threads of a Parallel or Map state (at most `limit` at once), records <Kind>StateStarted and
 * <Kind>StateSucceeded/Failed, and resumes the children when the execution resumes inside the state.
 * `child` runs one child; `onFailure` may tolerate a failure (Map's ToleratedFailure*), returning a value
 * to use as that child's output.
 */
export async function runBranches(
  ctx: StateContext,
  prior: StoredEvent[] | undefined,
  kind: 'Parallel' | 'Map',
  n: number,
  child: (index: number, thread: Thread) => Promise<unknown>,
  opts: {
    limit?: number;
    startedDetails?: Record<string, unknown>;
    onFailure?: (index: number, e: StatesError) => { tolerated: true; output: unknown } | { tolerated: false; error?: StatesError };
    childDone?: (index: number, threadId: string) => { ok: true; output: unknown } | { ok: false; error: StatesError } | null;
  } = {},
): Promise<unknown[]> {
  let startedId: number;
  const started = prior?.find((e) => e.type === `${kind}StateStarted`);
  if (started) {
    const failed = prior!.find((e) => e.type === `${kind}StateFailed`);
    if (failed) throw new StatesError(failed._x?.error ?? '', failed._x?.cause ?? null);
    startedId = started.id;
  } else startedId = ctx.emit(`${kind}StateStarted`, opts.startedDetails);

  const scope = new AbortScope(ctx.thread.signal);
  const outputs: unknown[] = new Array(n);
  let failure: StatesError | null = null;
  let lastId = startedId;
  let next = 0;
  const limit = Math.max(1, Math.min(opts.limit && opts.limit > 0 ? opts.limit : Infinity, kind === 'Map' ? 40 : Infinity, n));

  const runOne = async (i: number): Promise<void> => {
    const id = `${ctx.thread.id}/${startedId}.${i}`;
    const done = opts.childDone?.(i, id);
    if (done) {
      if (done.ok) outputs[i] = done.output;
      else throw done.error;
      return;
    }
    const thread = new Thread(id, startedId, new AbortScope(scope.signal), newVarScope(ctx.thread.vars));
    try {
      outputs[i] = await child(i, thread);
    } finally {
      lastId = Math.max(lastId, thread.lastId);
      thread.scope.dispose();
    }
  };

  const worker = async (): Promise<void> => {
    while (!failure && next < n && !scope.signal.aborted) {
      const i = next++;
      try {
        await runOne(i);
      } catch (e) {
        if (e instanceof StatesError && !failure) {
          const f = opts.onFailure?.(i, e);
          if (f?.tolerated) {
            outputs[i] = f.output;
            continue;
          }
          failure = f?.error ?? e;
          scope.abort(new BranchAborted());
        } else if (!(e instanceof StatesError) && !(e instanceof BranchAborted)) {
          scope.abort(e);
          throw e;
        }
      }
    }
  };
  try {
    const results = await Promise.allSettled(Array.from({ length: limit }, () => worker()));
    const crashed = results.find((r) => r.status === 'rejected');
    if (crashed) throw (crashed as PromiseRejectedResult).reason;
    if (ctx.thread.signal.aborted) throw ctx.thread.signal.reason;
  } finally {
    scope.dispose();
  }
  ctx.thread.lastId = lastId;
  if (failure) {
    const f = failure as StatesError;
    ctx.emit(`${kind}StateFailed`, undefined, { error: f.error, cause: f.errorCause });
    throw f;
  }
  if (!prior?.some((e) => e.type === `${kind}StateSucceeded`)) ctx.emit(`${kind}StateSucceeded`);
  return outputs;
}
