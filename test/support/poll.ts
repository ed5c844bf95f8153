/**
 * The one way tests wait: poll for the awaited condition until a deadline, never sleep a fixed
 * time. `eventually` resolves the first defined value the probe returns; `until` a truthy one.
 */
export class PollTimeoutError extends Error {
  constructor(what: string, ms: number, last: unknown) {
    super(`timed out after ${ms} ms waiting for ${what}${last === undefined ? '' : `; last seen: ${describe(last)}`}`);
    this.name = 'PollTimeoutError';
  }
}

function describe(v: unknown): string {
  if (v instanceof Error) return v.message;
  try {
    return JSON.stringify(v).slice(0, 500);
  } catch {
    return String(v);
  }
}

export interface PollOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Calls `probe` until it returns something other than undefined; a probe that throws is retried (its error is reported at the deadline). */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, options: PollOptions = {}): Promise<T> {
  const { timeoutMs = 20_000, intervalMs = 50 } = options;
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new PollTimeoutError(what, timeoutMs, last);
    await pause(intervalMs);
  }
}

/** Calls `check` until it returns true. */
export async function until(what: string, check: () => Promise<boolean> | boolean, options: PollOptions = {}): Promise<void> {
  await eventually(what, async () => ((await check()) ? true : undefined), options);
}
