/**
 * Retry: the first retrier whose ErrorEquals matches decides; when its MaxAttempts are used up the error
 * goes on to Catch. The delay before attempt n+1 is IntervalSeconds x BackoffRate^n, capped by
 * MaxDelaySeconds, and with JitterStrategy FULL a random delay between 0 and that. Each decision is
 * journaled (counts and the time of the next attempt) before the wait, so a restart keeps the counts
 * and waits only for the time left.
 */
import type { Retrier } from '../asl/types';
import { errorMatches, StatesError, TaskTimeout } from './errors';
import type { StateContext } from './execution';
import type { StoredEvent } from './history';

export const DEFAULTS = { IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 };

export function retryDelayMs(r: Retrier, attempt: number, random: () => number = Math.random): number {
  const interval = r.IntervalSeconds ?? DEFAULTS.IntervalSeconds;
  const backoff = r.BackoffRate ?? DEFAULTS.BackoffRate;
  let delay = interval * backoff ** attempt;
  if (r.MaxDelaySeconds !== undefined) delay = Math.min(delay, r.MaxDelaySeconds);
  if (r.JitterStrategy === 'FULL') delay = random() * delay;
  return Math.round(delay * 1000);
}

/**
 * Runs `attempt` until it succeeds or no retrier takes its error. `attempt` receives the retry count so
 * far and, when the execution resumes inside this state, the events its current attempt already wrote.
 */
export async function withRetry<T>(ctx: StateContext, attempt: (retryCount: number, prior: StoredEvent[] | undefined) => Promise<T>): Promise<T> {
  const retriers = ctx.state.Retry ?? [];
  let counts = retriers.map(() => 0);
  let prior: StoredEvent[] | undefined;
  const clock = ctx.runner.deps.clock;
  if (ctx.resume) {
    const last = ctx.resume.retries[ctx.resume.retries.length - 1];
    if (last) {
      counts = last.n.slice();
      prior = ctx.resume.after.filter((e) => e.id > last.after);
      if (prior.length === 0) {
        prior = undefined;
        const left = last.until - clock.now();
        if (left > 0) {
          ctx.runner.idle();
          await clock.sleep(left, ctx.thread.signal);
        }
      }
    } else prior = ctx.resume.after;
  }
  for (;;) {
    try {
      return await attempt(counts.reduce((a, b) => a + b, 0), prior);
    } catch (e) {
      prior = undefined;
      if (!(e instanceof StatesError)) throw e;
      const heartbeat = e instanceof TaskTimeout && e.heartbeat;
      const idx = retriers.findIndex((r) => errorMatches(r.ErrorEquals, e.error, { heartbeat }));
      if (idx < 0) throw e;
      const r = retriers[idx];
      const max = r.MaxAttempts ?? DEFAULTS.MaxAttempts;
      if (counts[idx] >= max) throw e;
      const delay = retryDelayMs(r, counts[idx]);
      counts = counts.slice();
      counts[idx]++;
      ctx.runner.recordRetry(ctx.thread, ctx.enteredId, counts, clock.now() + delay);
      if (delay > 0) {
        ctx.runner.idle();
        await clock.sleep(delay, ctx.thread.signal);
      }
    }
  }
}
