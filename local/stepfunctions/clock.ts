/**
 * Time as the interpreter sees it. `now()` stamps history events and the context object; `sleep()` is
 * what Wait states and Retry intervals wait on. Task timeouts and heartbeats always use real timers.
 *
 * `systemClock` is the real thing. `skippingClock()` makes waiting free without changing what is
 * recorded: a sleep resolves at once and moves the clock forward by the time slept, so a Wait of 60 s
 * still shows its WaitStateExited 60 s after its WaitStateEntered.
 */
import { ExecutionAborted } from './runtime/errors';

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** setTimeout's longest delay; longer waits are chained. */
const MAX_TIMER = 2 ** 31 - 1;

export function abortable(signal: AbortSignal | undefined, run: (done: () => void) => () => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new ExecutionAborted());
    const onAbort = () => {
      cancel();
      reject(signal?.reason ?? new ExecutionAborted());
    };
    const cancel = run(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    if (ms <= 0) return signal?.aborted ? Promise.reject(signal.reason ?? new ExecutionAborted()) : Promise.resolve();
    const until = Date.now() + ms;
    return abortable(signal, (done) => {
      let t: NodeJS.Timeout;
      const arm = () => {
        const left = until - Date.now();
        if (left <= 0) return done();
        t = setTimeout(arm, Math.min(left, MAX_TIMER));
      };
      arm();
      return () => clearTimeout(t);
    });
  },
};

export function skippingClock(start = Date.now()): Clock & { advance(ms: number): void } {
  let offset = start - Date.now();
  return {
    now: () => Date.now() + offset,
    advance(ms: number) {
      offset += ms;
    },
    sleep(ms, signal) {
      return abortable(signal, (done) => {
        if (ms > 0) offset += ms;
        const im = setImmediate(done);
        return () => clearImmediate(im);
      });
    },
  };
}
