/**
 * Schedule rules: at each time of its schedule, an enabled rule sends a "Scheduled Event" to its
 * targets (not to the bus):
 *
 *   {"version": "0", "id": "…", "detail-type": "Scheduled Event", "source": "aws.events",
 *    "account": "…", "time": "<the scheduled minute>", "region": "…",
 *    "resources": ["<rule ARN>"], "detail": {}}
 *
 * Each rule keeps its rate anchor and the last time it fired (persisted with the rule). After a
 * restart, or when a disabled rule is enabled again, the next event is the next scheduled time
 * after now: times missed while the emulator was stopped are not caught up. EventBridge has no
 * catch-up either: a rule fires on the schedule's times while it is enabled, and a time it missed
 * (disabled, or an outage) is never sent later; a flood of stale "Scheduled Event"s after a long
 * stop would only drive the reconciler and similar jobs many times for nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, ClockTimer } from './clock';
import type { EventRecord, Rule } from './model';
import { nextFireTime } from './schedule';

export interface SchedulerDeps {
  clock: Clock;
  region: string;
  accountId: string;
  log: (m: string) => void;
  /** send a scheduled event to every target of the rule */
  fire: (rule: Rule, rec: EventRecord) => void;
  /** persist the rule's new position */
  changed: () => void;
}

function eventTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class Scheduler {
  private readonly timers = new Map<string, { timer: ClockTimer; dueMs: number }>();
  private closed = false;

  constructor(private readonly deps: SchedulerDeps) {}

  /** Arms, re-arms or disarms a rule after it was created, changed, enabled, disabled or deleted. */
  sync(rule: Rule, deleted = false): void {
    this.cancel(rule.arn);
    if (deleted || this.closed || !rule.schedule || rule.state === 'DISABLED') return;
    const now = this.deps.clock.now();
    const after = Math.max(now, rule.lastFiredMs ?? -Infinity);
    const due = nextFireTime(rule.schedule, rule.scheduleAnchorMs ?? now, after);
    if (due === null) return;
    const timer = this.deps.clock.setTimeout(() => this.fire(rule, due), due - now);
    this.timers.set(rule.arn, { timer, dueMs: due });
  }

  /** When each armed rule fires next (rule ARN → epoch ms), for tests and diagnostics. */
  nextTimes(): Record<string, number> {
    return Object.fromEntries([...this.timers].map(([arn, t]) => [arn, t.dueMs]));
  }

  close(): void {
    this.closed = true;
    for (const arn of [...this.timers.keys()]) this.cancel(arn);
  }

  private cancel(arn: string): void {
    const t = this.timers.get(arn);
    if (t) this.deps.clock.clearTimeout(t.timer);
    this.timers.delete(arn);
  }

  private fire(rule: Rule, dueMs: number): void {
    this.timers.delete(rule.arn);
    if (this.closed) return;
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: this.deps.accountId,
      time: eventTime(dueMs),
      region: this.deps.region,
      resources: [rule.arn],
      detail: {},
    };
    rule.lastFiredMs = dueMs;
    this.deps.changed();
    try {
      this.deps.fire(rule, { event, json: JSON.stringify(event), ingestMs: dueMs });
    } catch (err) {
      this.deps.log(`eventbridge: scheduled event of ${rule.arn} failed: ${(err as Error).message}`);
    }
    this.sync(rule);
  }
}
