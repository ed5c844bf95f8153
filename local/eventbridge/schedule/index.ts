/**
 * Schedule expressions of EventBridge rules: `rate(value unit)` and `cron(fields)` (see cron.ts).
 *
 *   rate(1 minute) rate(5 minutes) rate(1 hour) rate(2 hours) rate(1 day) rate(7 days)
 *
 * The unit is singular for 1 and plural above; the value is a positive integer; nothing else
 * (no seconds, no spaces inside the parentheses, lower case only) is accepted, as AWS answers
 * `ValidationException: Parameter ScheduleExpression is not valid.` otherwise.
 *
 * A rate runs from the rule's creation (taken to the whole minute): the first event one period
 * after it, then every period. A cron fires at each matching whole minute, UTC.
 */
import { CronSyntaxError, nextCronTime, parseCron, type Cron } from './cron';

export { nextCronTime, parseCron, type Cron } from './cron';

export type Schedule = { kind: 'rate'; periodMs: number } | { kind: 'cron'; cron: Cron };

export class ScheduleExpressionError extends Error {
  constructor() {
    super('Parameter ScheduleExpression is not valid.');
  }
}

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export function parseScheduleExpression(expr: string): Schedule {
  const rate = /^rate\(([0-9]+) (minute|minutes|hour|hours|day|days)\)$/.exec(expr);
  if (rate) {
    const n = Number(rate[1]);
    const plural = rate[2].endsWith('s');
    if (n < 1 || (n === 1) === plural || !Number.isSafeInteger(n)) throw new ScheduleExpressionError();
    return { kind: 'rate', periodMs: n * UNIT_MS[plural ? rate[2].slice(0, -1) : rate[2]] };
  }
  const cron = /^cron\((.*)\)$/.exec(expr);
  if (cron) {
    try {
      return { kind: 'cron', cron: parseCron(cron[1]) };
    } catch (err) {
      if (err instanceof CronSyntaxError) throw new ScheduleExpressionError();
      throw err;
    }
  }
  throw new ScheduleExpressionError();
}

/** The rate anchor for a rule created at `createdMs`: the start of that minute. */
export function rateAnchor(createdMs: number): number {
  return Math.floor(createdMs / 60_000) * 60_000;
}

/** The first firing time strictly after `afterMs`; null when a cron has no occurrence left. */
export function nextFireTime(s: Schedule, anchorMs: number, afterMs: number): number | null {
  if (s.kind === 'cron') return nextCronTime(s.cron, afterMs);
  if (afterMs < anchorMs) return anchorMs + s.periodMs;
  const k = Math.floor((afterMs - anchorMs) / s.periodMs) + 1;
  return anchorMs + Math.max(1, k) * s.periodMs;
}
