/**
 * Time for the emulator: the wall clock, or a manual clock that tests and benchmarks advance by
 * hand (schedules, retry backoff and archive retention all wait on it).
 */
export type ClockTimer = { readonly id: number };

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, delayMs: number): ClockTimer;
  clearTimeout(timer: ClockTimer): void;
}

/** Node's timers cap a delay at 2^31-1 ms; longer waits are re-armed. */
const MAX_DELAY = 2 ** 31 - 1;

export function systemClock(): Clock {
  let next = 1;
  const handles = new Map<number, NodeJS.Timeout>();
  const arm = (id: number, fn: () => void, dueMs: number) => {
    const delay = Math.max(0, Math.min(MAX_DELAY, dueMs - Date.now()));
    const h = setTimeout(() => {
      if (Date.now() < dueMs) return arm(id, fn, dueMs);
      handles.delete(id);
      fn();
    }, delay);
    h.unref();
    handles.set(id, h);
  };
  return {
    now: () => Date.now(),
    setTimeout(fn, delayMs) {
      const id = next++;
      arm(id, fn, Date.now() + Math.max(0, delayMs));
      return { id };
    },
    clearTimeout(timer) {
      const h = handles.get(timer.id);
      if (h) clearTimeout(h);
      handles.delete(timer.id);
    },
  };
}

/** A clock that only moves when told to; due timers run in time order during `advance`. */
export class ManualClock implements Clock {
  private current: number;
  private next = 1;
  private readonly timers = new Map<number, { due: number; fn: () => void }>();

  constructor(start: number | string | Date = Date.UTC(2026, 0, 1)) {
    this.current = typeof start === 'number' ? start : new Date(start).getTime();
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, delayMs: number): ClockTimer {
    const id = this.next++;
    this.timers.set(id, { due: this.current + Math.max(0, delayMs), fn });
    return { id };
  }

  clearTimeout(timer: ClockTimer): void {
    this.timers.delete(timer.id);
  }

  /** Moves time forward by `ms`, running each timer that falls due at its due time. */
  advance(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  advanceTo(targetMs: number): void {
    for (;;) {
      let first: [number, { due: number; fn: () => void }] | undefined;
      for (const e of this.timers) if (e[1].due <= targetMs && (!first || e[1].due < first[1].due || (e[1].due === first[1].due && e[0] < first[0]))) first = e;
      if (!first) break;
      this.timers.delete(first[0]);
      this.current = Math.max(this.current, first[1].due);
      first[1].fn();
    }
    this.current = Math.max(this.current, targetMs);
  }

  /** The due times of the pending timers, earliest first (for tests). */
  pending(): number[] {
    return [...this.timers.values()].map((t) => t.due).sort((a, b) => a - b);
  }
}
