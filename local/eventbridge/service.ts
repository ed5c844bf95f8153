/**
 * The EventBridge model: buses, rules with their targets, archives and replays, their persistence,
 * and the routing of events (rules → deliveries, archives). The API operations (operations/*.ts)
 * and the deploy-time interface (deploy.ts) act on it.
 */
import { randomUUID } from 'node:crypto';
import { archiveArn, busArn, busNameOf, nameInArn, ruleArn, type Scope } from './arns';
import type { Clock } from './clock';
import { Deliverer, type TargetInvokers } from './delivery';
import { busNotFound, invalidEventPattern, ruleNotFound, validationError } from './errors';
import type { Archive, Bus, EventRecord, PersistedState, Replay, Rule, Target } from './model';
import { compileEventPattern, EventPatternError, flattenEvent, matchesFlattened, PatternIndex, type CompiledPattern, type FlatEvent } from './pattern';
import { parseScheduleExpression, ScheduleExpressionError, type Schedule } from './schedule';
import { Scheduler } from './scheduler';
import { Store } from './store';

export interface ServiceOptions {
  dataDir: string;
  region: string;
  accountId: string;
  clock: Clock;
  log: (m: string) => void;
  invokers: TargetInvokers;
  random?: () => number;
  retryBaseMs?: number;
  retryMaxDelayMs?: number;
}

const DAY_MS = 86_400_000;

export function compilePatternOrThrow(text: string): CompiledPattern {
  try {
    return compileEventPattern(text);
  } catch (err) {
    if (err instanceof EventPatternError) throw invalidEventPattern(err.message);
    throw err;
  }
}

export function parseScheduleOrThrow(expr: string): Schedule {
  try {
    return parseScheduleExpression(expr);
  } catch (err) {
    if (err instanceof ScheduleExpressionError) throw validationError(err.message);
    throw err;
  }
}

/** ISO-8601 without milliseconds, as events carry their time. */
export function eventTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class EventBridgeService {
  readonly scope: Scope;
  readonly clock: Clock;
  readonly log: (m: string) => void;
  readonly store: Store;
  readonly deliverer: Deliverer;
  readonly scheduler: Scheduler;
  readonly buses = new Map<string, Bus>();
  /** bus name → rule name → rule */
  readonly rules = new Map<string, Map<string, Rule>>();
  readonly archives = new Map<string, Archive>();
  readonly replays = new Map<string, Replay>();
  readonly tags = new Map<string, Array<{ Key: string; Value: string }>>();
  /** per bus, the index of its rules' patterns (rebuilt after a rule of the bus changed) */
  private readonly ruleIndexes = new Map<string, PatternIndex<Rule>>();
  private persistQueued = false;
  private closed = false;
  private retentionTimer: ReturnType<Clock['setTimeout']> | null = null;
  /** replay runners in progress (replays.ts) */
  readonly replayRuns = new Map<string, Promise<void>>();

  constructor(opts: ServiceOptions) {
    this.scope = { region: opts.region, accountId: opts.accountId };
    this.clock = opts.clock;
    this.log = opts.log;
    this.store = new Store(opts.dataDir);
    this.deliverer = new Deliverer({
      clock: opts.clock,
      log: opts.log,
      invokers: opts.invokers,
      routeToBus: (arn, rec) => this.routeToBus(arn, rec),
      lookup: (arn, id) => this.targetOf(arn, id),
      changed: () => this.persistSoon(),
      random: opts.random ?? Math.random,
      retryBaseMs: opts.retryBaseMs ?? 1000,
      retryMaxDelayMs: opts.retryMaxDelayMs ?? 300_000,
    });
    this.scheduler = new Scheduler({
      clock: opts.clock,
      region: opts.region,
      accountId: opts.accountId,
      log: opts.log,
      fire: (rule, rec) => {
        for (const t of rule.targets) this.deliverer.deliver(rule, t, rec);
      },
      changed: () => this.persistSoon(),
    });
  }

  /** Loads the persisted state, re-arms schedules and retries, counts the archives. */
  async start(): Promise<void> {
    const s = this.store.load();
    const now = this.clock.now();
    if (s) {
      for (const b of s.buses) this.buses.set(b.name, b);
      for (const r of s.rules) this.rulesOf(r.bus).set(r.name, this.hydrateRule({ ...r }));
      for (const a of s.archives) this.archives.set(a.name, { ...a, eventCount: 0, sizeBytes: 0, compiled: a.eventPattern ? compileEventPattern(a.eventPattern) : undefined });
      for (const r of s.replays) {
        if (r.state === 'STARTING' || r.state === 'RUNNING' || r.state === 'CANCELLING') {
          r.state = 'FAILED';
          r.stateReason = 'The local cloud stopped while the replay was running.';
          r.replayEndMs = now;
        }
        this.replays.set(r.name, r);
      }
      for (const [arn, t] of Object.entries(s.tags ?? {})) this.tags.set(arn, t);
      this.deliverer.restore(s.pending ?? []);
    }
    if (!this.buses.has('default')) {
      this.buses.set('default', { name: 'default', arn: busArn(this.scope, 'default'), createdMs: now, modifiedMs: now });
      this.persist();
    }
    for (const r of this.allRules()) this.scheduler.sync(r);
    for (const a of this.archives.values()) {
      const { count, bytes } = await this.store.archiveStats(a.name);
      a.eventCount = count;
      a.sizeBytes = bytes;
    }
    await this.enforceRetention();
    this.scheduleRetention();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.scheduler.close();
    if (this.retentionTimer) this.clock.clearTimeout(this.retentionTimer);
    await Promise.allSettled([...this.replayRuns.values()]);
    await this.deliverer.close();
    this.persist();
  }

  isClosed(): boolean {
    return this.closed;
  }

  // ---- persistence ----

  snapshot(): PersistedState {
    return {
      version: 1,
      buses: [...this.buses.values()],
      rules: this.allRules().map(({ compiled: _c, schedule: _s, ...r }) => r),
      archives: [...this.archives.values()].map(({ eventCount: _n, sizeBytes: _b, compiled: _c, ...a }) => a),
      replays: [...this.replays.values()],
      pending: this.deliverer.pendingDeliveries(),
      tags: Object.fromEntries(this.tags),
    };
  }

  persist(): void {
    this.store.save(this.snapshot());
  }

  /** Coalesces frequent changes (retries) into one write. */
  persistSoon(): void {
    if (this.persistQueued) return;
    this.persistQueued = true;
    setImmediate(() => {
      this.persistQueued = false;
      if (this.closed) return; // close() writes the final state
      try {
        this.persist();
      } catch (err) {
        this.log(`eventbridge: saving the state failed: ${(err as Error).message}`);
      }
    });
  }

  // ---- lookups ----

  /** Call after a rule of `bus` was created, changed or removed. */
  rulesChanged(bus: string): void {
    this.ruleIndexes.delete(bus);
  }

  private ruleIndex(bus: string, rules: Map<string, Rule>): PatternIndex<Rule> {
    let index = this.ruleIndexes.get(bus);
    if (!index) {
      index = new PatternIndex([...rules.values()].filter((r) => r.compiled).map((r) => [r, r.compiled as CompiledPattern] as [Rule, CompiledPattern]));
      this.ruleIndexes.set(bus, index);
    }
    return index;
  }

  rulesOf(bus: string): Map<string, Rule> {
    let m = this.rules.get(bus);
    if (!m) this.rules.set(bus, (m = new Map()));
    return m;
  }

  allRules(): Rule[] {
    return [...this.rules.values()].flatMap((m) => [...m.values()]);
  }

  /** The bus named by an `EventBusName` (name or ARN) parameter; ResourceNotFoundException if none. */
  bus(nameOrArn: string | undefined): Bus {
    const name = busNameOf(this.scope, nameOrArn);
    const b = this.buses.get(name);
    if (!b) throw busNotFound(name);
    return b;
  }

  rule(busNameOrArn: string | undefined, name: string): Rule {
    const bus = this.bus(busNameOrArn);
    const r = this.rules.get(bus.name)?.get(name);
    if (!r) throw ruleNotFound(name, bus.name);
    return r;
  }

  ruleByArn(arn: string): Rule | undefined {
    return this.allRules().find((r) => r.arn === arn);
  }

  targetOf(ruleArnValue: string, targetId: string): { rule: Rule; target: Target } | null {
    const rule = this.ruleByArn(ruleArnValue);
    const target = rule?.targets.find((t) => t.Id === targetId);
    return rule && target ? { rule, target } : null;
  }

  hydrateRule(r: Rule): Rule {
    r.compiled = r.eventPattern ? compileEventPattern(r.eventPattern) : undefined;
    r.schedule = r.scheduleExpression ? parseScheduleExpression(r.scheduleExpression) : undefined;
    return r;
  }

  newRule(bus: string, name: string): Rule {
    return { name, bus, arn: ruleArn(this.scope, bus, name), state: 'ENABLED', createdMs: this.clock.now(), targets: [] };
  }

  newArchiveArn(name: string): string {
    return archiveArn(this.scope, name);
  }

  // ---- routing ----

  /**
   * Routes an event on a bus: each enabled rule whose pattern matches sends it to its targets;
   * each enabled archive of the bus whose pattern matches keeps it (not for replayed events).
   * `onlyRules` restricts the rules (a replay's FilterArns).
   */
  async route(bus: Bus, rec: EventRecord, opts: { replayName?: string; onlyRules?: Set<string> } = {}): Promise<void> {
    let flat: FlatEvent | null = null;
    const flatOf = () => (flat ??= flattenEvent(rec.event));
    const rules = this.rules.get(bus.name);
    if (rules && rules.size) {
      const candidates = this.ruleIndex(bus.name, rules).candidates(flatOf());
      for (const rule of rules.values()) {
        if (!candidates.has(rule) || rule.state === 'DISABLED' || !rule.compiled) continue;
        if (opts.onlyRules && !opts.onlyRules.has(rule.arn)) continue;
        if (!matchesFlattened(rule.compiled, flatOf())) continue;
        for (const t of rule.targets) this.deliverer.deliver(rule, t, rec, opts.replayName);
      }
    }
    if (opts.replayName !== undefined) return;
    const appends: Promise<void>[] = [];
    for (const a of this.archives.values()) {
      if (a.bus !== bus.name || a.state !== 'ENABLED') continue;
      if (a.compiled && !matchesFlattened(a.compiled, flatOf())) continue;
      a.eventCount++;
      a.sizeBytes += Buffer.byteLength(rec.json);
      appends.push(this.store.appendArchive(a.name, [{ ingestMs: rec.ingestMs, json: rec.json }]));
    }
    await Promise.all(appends);
  }

  /** An event bus target: the event continues on that bus (once per bus, to stop loops). */
  private routeToBus(arn: string, rec: EventRecord): boolean {
    const name = nameInArn(arn, 'event-bus');
    if (!name || busNameOf(this.scope, arn) !== name) return false;
    const bus = this.buses.get(name);
    if (!bus) return false;
    const seen = (rec as EventRecord & { buses?: Set<string> }).buses ?? new Set<string>();
    if (seen.has(name)) {
      this.log(`eventbridge: event ${String(rec.event.id)} came back to bus ${name}; not routed again`);
      return true;
    }
    seen.add(name);
    void this.route(bus, Object.assign({ ...rec }, { buses: seen })).catch((err: Error) => this.log(`eventbridge: routing on ${name} failed: ${err.message}`));
    return true;
  }

  // ---- archives ----

  /** Drops archived events older than their archive's retention. */
  async enforceRetention(): Promise<void> {
    const now = this.clock.now();
    for (const a of this.archives.values()) {
      if (a.retentionDays <= 0) continue;
      const { removed, removedBytes } = await this.store.purgeArchive(a.name, now - a.retentionDays * DAY_MS);
      a.eventCount -= removed;
      a.sizeBytes -= removedBytes;
    }
  }

  /** Runs the retention every hour of the emulator's clock. */
  private scheduleRetention(): void {
    if (this.closed) return;
    this.retentionTimer = this.clock.setTimeout(() => {
      this.scheduleRetention();
      void this.enforceRetention().catch((err: Error) => this.log(`eventbridge: archive retention: ${err.message}`));
    }, 3_600_000);
  }

  newEventId(): string {
    return randomUUID();
  }
}
