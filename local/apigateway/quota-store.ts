// Usage-plan quota counters per (plan, key) and period (DAY from 00:00 UTC, WEEK from Sunday 00:00 UTC, MONTH from
// the 1st 00:00 UTC), optionally persisted to a JSON file so that counts survive a restart of the local cloud.
// The file is read once at start-up and written asynchronously (coalesced), never on the request path.
import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { QuotaSettings } from './types';

interface Counter {
  /** Start of the current period (epoch ms, UTC). */
  periodStart: number;
  /** End of the current period (exclusive). */
  periodEnd: number;
  used: number;
  /** Start of the first period this counter saw: the "initial time period" the quota offset applies to. */
  initialPeriod: number;
}

interface StateFile {
  version: 1;
  quotas: Record<string, Counter>;
}

export function periodBounds(period: QuotaSettings['period'], now: number): { start: number; end: number } {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  switch (period) {
    case 'DAY': {
      const start = Date.UTC(y, m, day);
      return { start, end: Date.UTC(y, m, day + 1) };
    }
    case 'WEEK': {
      const start = Date.UTC(y, m, day - d.getUTCDay());
      return { start, end: start + 7 * 86_400_000 };
    }
    case 'MONTH':
      return { start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) };
  }
}

export class QuotaStore {
  private readonly counters = new Map<string, Counter>();
  private writing: Promise<void> | null = null;
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly statePath: string | undefined,
    private readonly log: (m: string) => void,
  ) {
    if (statePath) this.load(statePath);
  }

  /** The counter of (plan, key), rolled over to the period `now` falls in. */
  private counter(planId: string, keyId: string, quota: QuotaSettings, now: number): Counter {
    const id = `${planId}/${keyId}`;
    let c = this.counters.get(id);
    if (!c) {
      const { start, end } = periodBounds(quota.period, now);
      c = { periodStart: start, periodEnd: end, used: 0, initialPeriod: start };
      this.counters.set(id, c);
    } else if (now >= c.periodEnd || now < c.periodStart) {
      const { start, end } = periodBounds(quota.period, now);
      c.periodStart = start;
      c.periodEnd = end;
      c.used = 0;
      this.scheduleWrite();
    }
    return c;
  }

  private static limitOf(c: Counter, quota: QuotaSettings): number {
    return c.periodStart === c.initialPeriod ? quota.limit - (quota.offset ?? 0) : quota.limit;
  }

  /** Whether one more request fits in the current period. */
  hasRoom(planId: string, keyId: string, quota: QuotaSettings, now: number): boolean {
    const c = this.counter(planId, keyId, quota, now);
    return c.used < QuotaStore.limitOf(c, quota);
  }

  /** Counts one request (after hasRoom said yes and the throttles let it through). */
  consume(planId: string, keyId: string, quota: QuotaSettings, now: number): void {
    this.counter(planId, keyId, quota, now).used++;
    this.scheduleWrite();
  }

  /** Counts one request against the quota; false (and nothing counted) when the quota is spent. */
  tryConsume(planId: string, keyId: string, quota: QuotaSettings, now: number): boolean {
    if (!this.hasRoom(planId, keyId, quota, now)) return false;
    this.consume(planId, keyId, quota, now);
    return true;
  }

  /** Requests left in the current period (for diagnostics and tests). */
  remaining(planId: string, keyId: string, quota: QuotaSettings, now: number): number {
    const c = this.counters.get(`${planId}/${keyId}`);
    const { start } = periodBounds(quota.period, now);
    const initial = c ? c.initialPeriod === start : true;
    const limit = initial ? quota.limit - (quota.offset ?? 0) : quota.limit;
    if (!c || c.periodStart !== start) return limit;
    return Math.max(0, limit - c.used);
  }

  /** Writes pending changes and stops the write timer. */
  async close(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.writing) await this.writing;
    if (this.dirty) await this.write();
  }

  private load(path: string): void {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.log(`apigateway: cannot read quota state ${path}: ${String(err)}`);
      return;
    }
    try {
      const doc = JSON.parse(text) as StateFile;
      for (const [k, v] of Object.entries(doc.quotas ?? {})) {
        if (typeof v.periodStart === 'number' && typeof v.periodEnd === 'number' && typeof v.used === 'number') {
          this.counters.set(k, { periodStart: v.periodStart, periodEnd: v.periodEnd, used: v.used, initialPeriod: v.initialPeriod ?? v.periodStart });
        }
      }
    } catch (err) {
      this.log(`apigateway: ignoring corrupt quota state ${path}: ${String(err)}`);
    }
  }

  private scheduleWrite(): void {
    if (!this.statePath) return;
    this.dirty = true;
    if (this.timer || this.writing) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.write();
    }, 50);
    this.timer.unref();
  }

  private async write(): Promise<void> {
    const path = this.statePath;
    if (!path) return;
    while (this.writing) await this.writing;
    this.dirty = false;
    const doc: StateFile = { version: 1, quotas: Object.fromEntries(this.counters) };
    const tmp = `${path}.${process.pid}.tmp`;
    this.writing = (async () => {
      try {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(tmp, JSON.stringify(doc));
        await rename(tmp, path);
      } catch (err) {
        this.log(`apigateway: cannot write quota state ${path}: ${String(err)}`);
      }
    })();
    await this.writing;
    this.writing = null;
    if (this.dirty) this.scheduleWrite();
  }
}
