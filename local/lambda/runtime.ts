// The local Lambda service: a registry of functions, each with a pool of execution environments (worker threads).
// Synchronous invokes that would need more environments than the function's concurrency limit are throttled, as
// Lambda does; asynchronous (Event) invokes are queued and run when there is room.
//
// Environment choice for an invocation: an idle environment (most recently used first), else a new one (cold start),
// else throttled. Exception for functions that run very briefly (measured average under shortFunctionMs): the invocation
// may instead be queued right behind one that is running, because that one frees up in microseconds, far sooner than
// a new worker thread could start (and an execution only counts against concurrency while it runs).
//
// Scale-up is bounded (maxConcurrentColdStarts): beyond that many environments starting at once, an invocation waits for
// the first environment to become free instead of starting another, as AWS scales a function up at a bounded rate. A
// burst then warms a few environments quickly and queues briefly behind them, instead of starting one per request, all
// competing for the same cores.
import { CodeCache } from './code-cache';
import { ExecutionEnvironment, Job, RawOutcome } from './environment';
import { RequestTooLargeError, ResourceNotFoundError, RuntimeClosedError } from './errors';
import { newTraceHeader, requestId as newRequestId } from './ids';
import { FunctionSpec, InvokeOptions, InvokeResult, LambdaRuntimeOptions } from './types';
import { invocationTrace } from './tracing';

interface QueuedEvent {
  payload: unknown;
  opts: InvokeOptions;
}

/** The environments of one function. */
class FunctionPool {
  readonly idle: ExecutionEnvironment[] = [];
  readonly running = new Set<ExecutionEnvironment>();
  readonly all = new Set<ExecutionEnvironment>();
  starting = 0;
  readonly events: QueuedEvent[] = [];
  /** synchronous invocations waiting for room under the local concurrency cap */
  readonly waiting: Job[] = [];
  /** Moving average (halving weights) of the handler duration measured in the worker, ms; null before any. */
  avgMs: number | null = null;
  /** environments started (cold starts), ever */
  started = 0;
  /** invocations run (each a payload handed to an environment), ever */
  invoked = 0;
  /** when an invocation last came for it (ms epoch): a function called within BUSY_WINDOW_MS counts as busy */
  lastBusyAt = 0;

  constructor(
    public spec: FunctionSpec,
    /** changed by PutFunctionConcurrency / DeleteFunctionConcurrency */
    public limit: number,
  ) {}

  /** Executions counting against the concurrency limit. */
  get active(): number {
    return this.running.size + this.starting;
  }
}

const DEFAULT_IDLE_MS = 5 * 60_000;
const DEFAULT_EXTRA_IDLE_MS = 30_000;
/** Largest synchronous invocation payload Lambda accepts (6 MB). */
export const MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
/** Largest asynchronous (Event) invocation payload. */
export const MAX_ASYNC_PAYLOAD = 256 * 1024;
/** Default for LambdaRuntimeOptions.shortFunctionMs. */
const SHORT_MS = 1;
/** How much queued work (average duration x queue length) may wait behind a running invocation. */
const QUEUE_BUDGET_MS = 2;
const MAX_FOLLOWERS = 32;
/** Followers still waiting after the invocation ahead of them ran this long (or 4 x shortFunctionMs if more) are
 * moved to other environments. */
const STEAL_AFTER_MS = 10;
/**
 * How long a function counts as busy after its last invocation, for sharing the environment cap.
 * Counted at the instant, the busy set flickered as functions went idle for milliseconds between
 * invocations; each flicker moved the shares, and environments were recycled back and forth (the
 * saga bench at 50 clients started 402 environments for 500 orders, about a fifth of the
 * machine's CPU).
 */
const BUSY_WINDOW_MS = 10_000;

export class LambdaRuntime {
  private readonly pools = new Map<string, FunctionPool>();
  private readonly byArn = new Map<string, string>();
  private readonly defaultConcurrency: number;
  private readonly idleTimeoutMs: number;
  private readonly extraIdleTimeoutMs: number;
  private readonly maxEnvironments: number;
  private readonly shortMs: number;
  private readonly stealAfterMs: number;
  private readonly queueOverLocalLimit: boolean;
  private readonly maxColdStarts: number;
  private readonly log: (m: string) => void;
  private readonly onLog?: (fn: string, line: string) => void;
  private readonly tracing?: LambdaRuntimeOptions['tracing'];
  private readonly onInvoked?: LambdaRuntimeOptions['onInvoked'];
  private readonly sweeper: NodeJS.Timeout;
  private watchdog: NodeJS.Timeout | null = null;
  private readonly codeCache: CodeCache;
  private closed = false;

  constructor(opts: LambdaRuntimeOptions = {}) {
    this.defaultConcurrency = opts.defaultConcurrency ?? 10;
    this.queueOverLocalLimit = opts.queueOverLocalLimit ?? false;
    this.maxColdStarts = opts.maxConcurrentColdStarts ?? Infinity;
    this.idleTimeoutMs = opts.idleTimeoutMs ?? DEFAULT_IDLE_MS;
    this.extraIdleTimeoutMs = opts.extraIdleTimeoutMs ?? DEFAULT_EXTRA_IDLE_MS;
    this.maxEnvironments = opts.maxEnvironments ?? Infinity;
    this.shortMs = opts.shortFunctionMs ?? SHORT_MS;
    this.stealAfterMs = Math.max(STEAL_AFTER_MS, 4 * this.shortMs);
    this.log = opts.log ?? (() => undefined);
    this.onLog = opts.onLog;
    this.tracing = opts.tracing;
    this.onInvoked = opts.onInvoked;
    this.codeCache = new CodeCache(opts.codeCacheDir);
    // One sweeper for all pools instead of a timer per idle environment keeps the invoke path free of timer churn.
    const every = Math.min(10_000, Math.max(20, Math.floor(Math.min(this.idleTimeoutMs, this.extraIdleTimeoutMs) / 2)));
    this.sweeper = setInterval(() => this.reap(), every);
    this.sweeper.unref();
  }

  register(spec: FunctionSpec): void {
    if (this.closed) throw new RuntimeClosedError();
    const full: FunctionSpec = {
      ...spec,
      environment: { ...spec.environment },
      timeoutSeconds: spec.timeoutSeconds > 0 ? spec.timeoutSeconds : 3,
      memoryMb: spec.memoryMb > 0 ? spec.memoryMb : 128,
    };
    const old = this.pools.get(spec.name);
    if (old) {
      this.byArn.delete(old.spec.arn);
      for (const env of [...old.all]) void env.terminate();
    }
    const limit = full.reservedConcurrency ?? this.defaultConcurrency;
    this.pools.set(full.name, new FunctionPool(full, limit));
    this.byArn.set(full.arn, full.name);
  }

  get(name: string): FunctionSpec | undefined {
    return this.pool(name)?.spec;
  }

  /**
   * PutFunctionConcurrency (a number) or DeleteFunctionConcurrency (undefined). Unlike a new
   * configuration it keeps the environments: invocations running finish (as in AWS), idle
   * environments over the new limit stop, and synchronous invocations waiting under the local cap
   * are throttled once the function has a reserved concurrency of its own.
   */
  setReservedConcurrency(name: string, reserved: number | undefined): FunctionSpec {
    const pool = this.pool(name);
    if (!pool) throw new ResourceNotFoundError(name);
    pool.spec = { ...pool.spec, reservedConcurrency: reserved };
    pool.limit = reserved ?? this.defaultConcurrency;
    while (pool.idle.length && pool.running.size + pool.starting + pool.idle.length > pool.limit) {
      const env = pool.idle.shift()!;
      pool.all.delete(env);
      void env.terminate();
    }
    if (reserved === undefined) this.drainWaiting(pool);
    else for (const job of pool.waiting.splice(0)) job.throttled();
    return pool.spec;
  }

  /** Execution environments of a function now: running an invocation, idle (warm), starting. */
  environments(name: string): { running: number; idle: number; starting: number } {
    const pool = this.pool(name);
    return pool ? { running: pool.running.size, idle: pool.idle.filter((e) => !e.dead).length, starting: pool.starting } : { running: 0, idle: 0, starting: 0 };
  }

  list(): FunctionSpec[] {
    return [...this.pools.values()].map((p) => p.spec);
  }

  /** Execution environments started since the runtime began (cold starts), per function: what recycling costs. */
  coldStarts(): Record<string, number> {
    return Object.fromEntries([...this.pools].map(([name, p]) => [name, p.started]));
  }

  /** Invocations run since the runtime began, per function: what a workload costs in calls. */
  invocations(): Record<string, number> {
    return Object.fromEntries([...this.pools].map(([name, p]) => [name, p.invoked]));
  }

  async invoke(name: string, payload: unknown, opts: InvokeOptions = {}): Promise<InvokeResult> {
    if (this.closed) throw new RuntimeClosedError();
    const pool = this.pool(name);
    if (!pool) throw new ResourceNotFoundError(name.startsWith('arn:') ? name : `arn:aws:lambda:us-east-1:000000000000:function:${name}`);
    if (opts.invocationType === 'Event') {
      checkSize(JSON.stringify(payload ?? null), MAX_ASYNC_PAYLOAD);
      pool.events.push({ payload, opts: { ...opts, invocationType: 'RequestResponse' } });
      this.drainEvents(pool);
      return { status: 'ok', payload: null, durationMs: 0, coldStart: false, requestId: newRequestId(), logs: '' };
    }
    return this.run(pool, payload, opts);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    if (this.watchdog) clearInterval(this.watchdog);
    const all: Promise<void>[] = [];
    for (const pool of this.pools.values()) {
      pool.events.length = 0;
      for (const job of pool.waiting.splice(0)) job.throttled();
      for (const env of [...pool.all]) all.push(env.terminate());
    }
    await Promise.all(all);
  }

  private pool(name: string): FunctionPool | undefined {
    const byName = this.pools.get(name);
    if (byName) return byName;
    if (name.startsWith('arn:')) {
      // Accept qualified ARNs (…:function:NAME:$LATEST) too.
      const m = /^(arn:aws:lambda:[^:]+:\d{12}:function:[^:]+)(?::.+)?$/.exec(name);
      const n = m ? this.byArn.get(m[1]) : undefined;
      return n ? this.pools.get(n) : undefined;
    }
    return undefined;
  }

  private run(pool: FunctionPool, payload: unknown, opts: InvokeOptions): Promise<InvokeResult> {
    pool.invoked++;
    const spec = pool.spec;
    const requestId = newRequestId();
    const onLog = this.onLog;
    const eventJson = payload === undefined ? 'null' : JSON.stringify(payload);
    checkSize(eventJson, MAX_SYNC_PAYLOAD);
    const trace = this.tracing ? invocationTrace(spec, requestId, opts.traceHeader, this.tracing) : undefined;
    const onInvoked = this.onInvoked;
    return new Promise<InvokeResult>((resolve0) => {
      const settle = onInvoked
        ? (r: InvokeResult) => {
            onInvoked(spec.name, r);
            resolve0(r);
          }
        : resolve0;
      const resolve = trace ? (r: InvokeResult) => settle(trace.end(r)) : settle;
      const job: Job = {
        requestId,
        eventJson,
        traceId: trace?.header ?? opts.traceHeader ?? newTraceHeader(false),
        clientContext: opts.clientContext,
        onLine: onLog ? (line: string) => onLog(spec.name, line) : noop,
        done: (outcome, lines, durationMs) => {
          // the lines Lambda writes around each invocation in the function's log stream
          if (onLog) {
            if (outcome.kind === 'timeout') onLog(spec.name, `${new Date().toISOString()} ${requestId} Task timed out after ${spec.timeoutSeconds.toFixed(2)} seconds`);
            onLog(spec.name, `END RequestId: ${requestId}`);
            onLog(
              spec.name,
              `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(durationMs))} ms\tMemory Size: ${spec.memoryMb} MB\t`,
            );
          }
          resolve(this.toResult(outcome, requestId, durationMs, job.cold === true, lines, spec));
        },
        throttled: () => resolve({ status: 'throttled', errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.', requestId }),
      };
      const accepted = () => onLog?.(spec.name, `START RequestId: ${requestId} Version: $LATEST`);
      if (this.dispatch(pool, job, true)) return accepted();
      // Over the local cap of a function with no reserved concurrency: AWS would have run it
      // (the account's limit is far higher), so it waits for an environment instead of failing.
      // A reserved concurrency is the function's own limit and throttles as in AWS.
      if (this.queueOverLocalLimit && spec.reservedConcurrency === undefined) {
        pool.waiting.push(job);
        return accepted();
      }
      job.throttled();
    });
  }

  /** Hands waiting synchronous invocations to environments as they free up. */
  private drainWaiting(pool: FunctionPool): void {
    while (pool.waiting.length && !this.closed) {
      // taken off the queue before dispatching: dispatching can recycle another environment,
      // whose end drains the queues again (re-entrantly), and must not find this job still there
      const job = pool.waiting.shift()!;
      if (!this.dispatch(pool, job, false, true)) {
        pool.waiting.unshift(job);
        return;
      }
    }
  }

  /**
   * Hands a job to an environment; false when the function is at its concurrency limit. A job
   * that would start an environment beyond the cold-start bound joins the function's waiting
   * queue (true), or, when it comes from that queue (`fromWaiting`), stays there (false).
   */
  private dispatch(pool: FunctionPool, job: Job, mayQueue: boolean, fromWaiting = false): boolean {
    if (this.closed) return false;
    pool.lastBusyAt = Date.now();
    if (mayQueue && pool.avgMs !== null && pool.avgMs < this.shortMs && pool.running.size) {
      const budget = Math.max(QUEUE_BUDGET_MS, 2 * this.shortMs);
      const depth = Math.min(MAX_FOLLOWERS, Math.max(1, Math.floor(budget / Math.max(pool.avgMs, 0.001))));
      let best: ExecutionEnvironment | null = null;
      for (const env of pool.running) {
        if (env.dead || env.followers.length >= depth) continue;
        if (!best || env.followers.length < best.followers.length) best = env;
      }
      if (best) {
        best.submit(job);
        this.startWatchdog();
        return true;
      }
    }
    let env = pool.idle.pop();
    while (env && env.dead) env = pool.idle.pop();
    if (env) {
      pool.running.add(env);
      env.submit(job);
      return true;
    }
    if (pool.active >= pool.limit) return false;
    if (this.coldStartsNow() >= this.maxColdStarts) {
      if (fromWaiting) return false;
      pool.waiting.push(job);
      return true;
    }
    const atCap = this.environmentCount() >= this.maxEnvironments;
    if (atCap || (this.maxEnvironments !== Infinity && this.starvedBesides(pool))) {
      // At the machine-wide cap. A function that already has its share of the environments waits
      // for one of its own to free up: recycling another function's idle environment to start one
      // more costs a cold start now and another when that function is called next. Under a burst
      // that spans many functions (an order saga's five, and the consumers of its events) the
      // machine otherwise spends its cores recycling (1,908 cold starts in one saga bench).
      if (pool.all.size >= this.fairShare(pool)) {
        if (fromWaiting) return false;
        pool.waiting.push(job);
        return true;
      }
      if (atCap && !this.evictForShare(pool)) return false;
    }
    this.startEnvironment(pool, job);
    return true;
  }

  /** Whether a function other than `pool` has invocations waiting while it holds less than its share. */
  private starvedBesides(pool: FunctionPool): boolean {
    for (const p of this.pools.values()) if (p !== pool && p.waiting.length > 0 && p.all.size < this.fairShare(p) && p.active < p.limit) return true;
    return false;
  }

  /**
   * The environments a function may hold at the cap: the cap shared by the functions busy now
   * (running, starting or with invocations waiting; at least one each). Functions only kept warm
   * do not count: their idle environments are the ones recycled.
   */
  private fairShare(asking: FunctionPool): number {
    let inUse = 0;
    const recently = Date.now() - BUSY_WINDOW_MS;
    for (const p of this.pools.values()) if (p === asking || p.active > 0 || p.waiting.length > 0 || p.lastBusyAt > recently) inUse++;
    return Math.max(1, Math.floor(this.maxEnvironments / inUse));
  }

  /** Execution environments starting now, of every function. */
  private coldStartsNow(): number {
    if (this.maxColdStarts === Infinity) return 0;
    let n = 0;
    for (const pool of this.pools.values()) n += pool.starting;
    return n;
  }

  /** A start ended: the invocations it held back may now start environments (or take this one once it is idle). */
  private afterColdStart(pool: FunctionPool): void {
    if (this.maxColdStarts === Infinity || this.closed) return;
    if (pool.waiting.length) this.drainWaiting(pool);
    this.drainOthers(pool);
  }

  /** Execution environments alive, of every function. */
  private environmentCount(): number {
    let n = 0;
    for (const pool of this.pools.values()) n += pool.all.size;
    return n;
  }

  /**
   * Makes room under the machine-wide cap: terminates the idle environment used longest ago, of
   * whatever function (AWS recycles environments too; that function's next call is cold).
   * False when every environment is busy.
   */
  /**
   * Recycles an idle environment to make room for `asking` (under its share at the cap): the least
   * recently used of a function holding more than its share or no longer busy. Another busy
   * function's environment within its share is taken only for a function that has none at all (it
   * could not run otherwise); any other caller waits for its own environments to free up.
   */
  private evictForShare(asking: FunctionPool): boolean {
    const recently = Date.now() - BUSY_WINDOW_MS;
    let oldest: { pool: FunctionPool; env: ExecutionEnvironment } | undefined;
    let oldestAny: typeof oldest;
    for (const pool of this.pools.values()) {
      if (pool === asking) continue;
      const spare = pool.lastBusyAt <= recently || pool.all.size > this.fairShare(pool);
      for (const env of pool.idle) {
        if (env.dead) continue;
        if (!oldestAny || env.lastUsed < oldestAny.env.lastUsed) oldestAny = { pool, env };
        if (spare && (!oldest || env.lastUsed < oldest.env.lastUsed)) oldest = { pool, env };
      }
    }
    if (!oldest && asking.all.size === 0) oldest = oldestAny;
    if (!oldest) return false;
    const { pool, env } = oldest;
    pool.idle.splice(pool.idle.indexOf(env), 1);
    pool.all.delete(env);
    this.log(`lambda ${pool.spec.name}: recycling an idle execution environment (${this.maxEnvironments} environments at most on this machine)`);
    void env.terminate();
    return true;
  }

  /** Gives functions waiting under the machine-wide cap an environment (called when one frees up). */
  private drainOthers(except: FunctionPool): void {
    for (const pool of this.pools.values()) if (pool !== except && pool.waiting.length) this.drainWaiting(pool);
  }

  private startEnvironment(pool: FunctionPool, job: Job): void {
    const spec = pool.spec;
    job.cold = true;
    pool.starting++;
    pool.started++;
    const env = new ExecutionEnvironment(spec, {
      log: this.log,
      onIdle: (e) => {
        pool.running.delete(e);
        // a lowered reserved concurrency retires environments as their invocations end
        if (this.closed || this.pools.get(spec.name) !== pool || pool.all.size > pool.limit) {
          pool.all.delete(e);
          void e.terminate();
          return;
        }
        // over its share at the cap while another function waits under its own: hand the room over
        if (this.environmentCount() >= this.maxEnvironments && pool.all.size > this.fairShare(pool) && this.starvedBesides(pool)) {
          pool.all.delete(e);
          this.log(`lambda ${spec.name}: retiring an environment for a function waiting under its share (${this.maxEnvironments} environments at most on this machine)`);
          this.drainOthers(pool); // before the end of this one frees its room to its own queue
          void e.terminate();
          return;
        }
        pool.idle.push(e);
        if (pool.waiting.length) this.drainWaiting(pool);
        if (pool.events.length) this.drainEvents(pool);
        if (!pool.waiting.length) this.drainOthers(pool);
      },
      onOrphans: (_e, jobs) => {
        const target = this.pools.get(spec.name) ?? pool;
        for (const j of jobs) if (!this.dispatch(target, j, false)) j.throttled();
      },
      onDead: (e) => {
        // recycled or retired on purpose (no longer counted): whoever did it has used its room, and
        // draining here, re-entrantly inside that dispatch, would start a second environment in it
        const retired = !pool.all.has(e);
        pool.running.delete(e);
        pool.all.delete(e);
        if (retired) return;
        if (pool.waiting.length) this.drainWaiting(pool);
        if (pool.events.length) this.drainEvents(pool);
        this.drainOthers(pool);
      },
      onStrayLine: (line) => this.onLog?.(spec.name, line),
      codeCache: this.codeCache,
      onDuration: (ms) => {
        pool.avgMs = pool.avgMs === null ? ms : (pool.avgMs + ms) / 2;
      },
    });
    pool.all.add(env);
    this.log(`lambda ${spec.name}: cold start`);
    void env.waitReady().then((failure) => {
      pool.starting--;
      if (failure) {
        const lines = env.takeInitLines();
        for (const l of lines) job.onLine(l);
        job.done(failure, lines, 0, env);
      } else if (env.dead) {
        job.done({ kind: 'error', errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited before the invocation started', trace: [] }, [], 0, env);
      } else {
        pool.running.add(env);
        env.submit(job);
      }
      this.afterColdStart(pool);
    });
  }

  private toResult(raw: RawOutcome, requestId: string, durationMs: number, coldStart: boolean, lines: string[], spec: FunctionSpec): InvokeResult {
    const logs = lines.length ? lines.join('\n') + '\n' : '';
    switch (raw.kind) {
      case 'ok':
        return { status: 'ok', payload: JSON.parse(raw.payloadJson) as unknown, durationMs, coldStart, requestId, logs };
      case 'error': {
        const runtimeExit = raw.errorType === 'Runtime.ExitError' || raw.errorType === 'Runtime.OutOfMemory';
        const errorMessage = runtimeExit ? `RequestId: ${requestId} Error: ${raw.errorMessage}` : raw.errorMessage;
        return { status: 'error', errorType: raw.errorType, errorMessage, trace: raw.trace, durationMs, coldStart, requestId, logs };
      }
      case 'timeout':
        return {
          status: 'timeout',
          errorType: 'Sandbox.Timedout',
          errorMessage: `Task timed out after ${spec.timeoutSeconds.toFixed(2)} seconds`,
          durationMs,
          requestId,
          logs,
        };
    }
  }

  /** Starts queued Event invocations while the function has room. */
  private drainEvents(pool: FunctionPool): void {
    while (pool.events.length && !this.closed && (pool.idle.length > 0 || pool.active < pool.limit)) {
      const ev = pool.events.shift()!;
      void this.run(pool, ev.payload, ev.opts).then((r) => {
        if (r.status !== 'ok') this.log(`lambda ${pool.spec.name}: async invocation ${r.requestId} ended with ${r.status}: ${r.errorMessage}`);
      });
    }
  }

  /** Moves followers off environments whose current invocation runs long. Runs only while followers exist. */
  private startWatchdog(): void {
    if (this.watchdog) return;
    this.watchdog = setInterval(() => {
      const now = performance.now();
      let waiting = false;
      for (const pool of this.pools.values()) {
        for (const env of pool.running) {
          if (!env.followers.length) continue;
          const head = env.head;
          if (head && now - head.startedAt! > this.stealAfterMs) {
            pool.avgMs = Math.max(pool.avgMs ?? 0, now - head.startedAt!);
            for (const j of env.stealFollowers()) if (!this.dispatch(pool, j, false)) j.throttled();
          }
          if (env.followers.length) waiting = true;
        }
      }
      if (!waiting && this.watchdog) {
        clearInterval(this.watchdog);
        this.watchdog = null;
      }
    }, Math.max(5, this.stealAfterMs / 4));
    this.watchdog.unref();
  }

  /**
   * Terminates environments idle for longer than idleTimeoutMs; the extra environments a burst
   * started go sooner (extraIdleTimeoutMs), so a function keeps one warm environment while the
   * memory of a burst's others comes back.
   */
  private reap(): void {
    const now = Date.now();
    for (const pool of this.pools.values()) {
      if (!pool.idle.length) continue;
      const keep: ExecutionEnvironment[] = [];
      // the most recently used stays longest (idle is a stack: last pushed is used first)
      const byRecency = [...pool.idle].sort((a, b) => b.lastUsed - a.lastUsed);
      for (const env of byRecency) {
        if (env.dead) continue;
        const alone = keep.length === 0 && pool.running.size === 0;
        const limit = alone ? this.idleTimeoutMs : Math.min(this.idleTimeoutMs, this.extraIdleTimeoutMs);
        if (env.lastUsed < now - limit) {
          this.log(`lambda ${pool.spec.name}: reaping idle execution environment`);
          void env.terminate();
        } else keep.push(env);
      }
      pool.idle.length = 0;
      pool.idle.push(...keep.reverse());
    }
  }
}

function noop(): void {}

/** Lambda refuses payloads over its limits (RequestTooLargeException) before running anything. */
function checkSize(json: string, limit: number): void {
  if (json.length * 3 <= limit) return;
  const bytes = Buffer.byteLength(json);
  if (bytes > limit) throw new RequestTooLargeError(bytes, limit);
}
