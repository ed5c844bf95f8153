// One execution environment (a Lambda "sandbox"): a worker_threads Worker with its own process.env and heap limit,
// which loads the handler module once and then runs one invocation at a time.
//
// For very short functions the runtime may hand an environment its next invocation while the current one is still
// running ("followers"): the worker starts it the moment the current one ends, without the thread going to sleep in
// between. Waking a sleeping thread is by far the costliest step of a hand-off (a cross-CPU wake-up, worse on virtual
// machines), so this is what keeps the local API Gateway fast. A follower that has not started can be taken back
// (stolen) through a shared slot, e.g. when the invocation ahead of it turns out to be slow.
import { Worker } from 'node:worker_threads';
import { BOOTSTRAP_SOURCE } from './bootstrap-source';
import { handlerFile, type CodeCache } from './code-cache';
import { logStreamName } from './ids';
import { DEFAULT_REGION, FunctionSpec } from './types';

/** What one invocation inside an environment ended with, before the runtime adds request id, timing and logs. */
export type RawOutcome =
  | { kind: 'ok'; payloadJson: string }
  | { kind: 'error'; errorType: string; errorMessage: string; trace: string[] }
  | { kind: 'timeout' };

/** One invocation handed to an environment. */
export interface Job {
  requestId: string;
  eventJson: string;
  traceId: string;
  clientContext: string | undefined;
  onLine: (line: string) => void;
  /** Settles the invocation (called exactly once by the environment, or the job is handed back as an orphan). */
  done: (outcome: RawOutcome, lines: string[], durationMs: number, env: ExecutionEnvironment) => void;
  /** Answers the invocation as throttled (no environment could take it). */
  throttled: () => void;
  /** Set by the runtime when this invocation started a new environment. */
  cold?: boolean;
  /** Set by the environment. */
  id?: number;
  slot?: number;
  lines?: string[];
  startedAt?: number;
  timer?: NodeJS.Timeout;
}

export interface EnvironmentHooks {
  log: (m: string) => void;
  /** The environment finished its last queued invocation and is idle. */
  onIdle: (env: ExecutionEnvironment) => void;
  /** Invocations that never started in this environment (it died, or they were stolen): dispatch them again. */
  onOrphans: (env: ExecutionEnvironment, jobs: Job[]) => void;
  /** The environment is dead (timed out, crashed, reaped, replaced or closed); called once. */
  onDead: (env: ExecutionEnvironment) => void;
  /** Handler duration measured inside the worker, for the runtime's estimate of how long this function runs. */
  onDuration: (ms: number) => void;
  /** Output written between invocations (e.g. by a timer the handler left behind). */
  onStrayLine: (line: string) => void;
  /** V8 code caches of the bundles (./code-cache.ts); none: every cold start compiles. */
  codeCache?: CodeCache;
}

type WorkerMessage =
  | { t: 'log'; line: string }
  | { t: 'ready' }
  | { t: 'codeCache'; file: string; data: Uint8Array }
  | { t: 'initError'; errorType: string; errorMessage: string; trace: string[] }
  | { t: 'result'; id: number; d: number; ok: true; payload: string }
  | { t: 'result'; id: number; d: number; ok: false; errorType: string; errorMessage: string; trace: string[] }
  | { t: 'fatal'; errorType: string; errorMessage: string; trace: string[] };

const YOUNG_GENERATION_MB = 4;
/** Init phase limit, as in Lambda (10 s). */
const INIT_TIMEOUT_MS = 10_000;
/** Follower slots shared with the worker; more than the deepest follower queue the runtime builds. */
export const SLOT_COUNT = 64;
const SLOT_QUEUED = 1;
/** Followers are posted to the worker in chunks of this many (or at the end of the event-loop turn). */
const SEND_CHUNK = 8;
const SLOT_STOLEN = 3;

export function buildEnvironment(spec: FunctionSpec, streamName: string): Record<string, string> {
  const env: Record<string, string> = {
    AWS_REGION: DEFAULT_REGION,
    AWS_DEFAULT_REGION: DEFAULT_REGION,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_SESSION_TOKEN: 'test',
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    ...spec.environment,
  };
  if (!spec.environment.AWS_REGION && spec.environment.AWS_DEFAULT_REGION) env.AWS_REGION = spec.environment.AWS_DEFAULT_REGION;
  if (!spec.environment.AWS_DEFAULT_REGION && spec.environment.AWS_REGION) env.AWS_DEFAULT_REGION = spec.environment.AWS_REGION;
  // Reserved variables: Lambda sets these itself whatever the function configuration says.
  env.AWS_LAMBDA_FUNCTION_NAME = spec.name;
  env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE = String(spec.memoryMb);
  env.AWS_LAMBDA_FUNCTION_VERSION = '$LATEST';
  env.AWS_LAMBDA_LOG_GROUP_NAME = `/aws/lambda/${spec.name}`;
  env.AWS_LAMBDA_LOG_STREAM_NAME = streamName;
  env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
  env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs20.x';
  env.LAMBDA_TASK_ROOT = spec.codeDir;
  env.LAMBDA_RUNTIME_DIR = '/var/runtime';
  env._HANDLER = spec.handler;
  return env;
}

export class ExecutionEnvironment {
  /** Set once the init phase finished successfully. */
  ready = false;
  /** Set once the worker is gone (crashed, timed out, reaped or closed). */
  dead = false;
  /** True until this environment started its first invocation. */
  fresh = true;
  lastUsed = Date.now();
  /** The running invocation. */
  head: Job | null = null;
  /** Invocations posted to the worker that start after the head, in order. */
  readonly followers: Job[] = [];

  private initLines: string[] = [];
  private readonly worker: Worker;
  private readonly slots: Int32Array;
  private readonly readyPromise: Promise<RawOutcome | null>;
  private resolveReady!: (o: RawOutcome | null) => void;
  private nextId = 1;
  private nextSlot = 0;
  /** Invocation messages not posted yet. */
  private outbox: unknown[] = [];
  private flushQueued = false;

  constructor(
    readonly spec: FunctionSpec,
    private readonly hooks: EnvironmentHooks,
  ) {
    const streamName = logStreamName();
    this.readyPromise = new Promise((resolve) => (this.resolveReady = resolve));
    const shared = new SharedArrayBuffer(SLOT_COUNT * 4);
    this.slots = new Int32Array(shared);
    const cacheFile = hooks.codeCache ? handlerFile(spec.codeDir, spec.handler) : undefined;
    this.worker = new Worker(BOOTSTRAP_SOURCE, {
      eval: true,
      env: buildEnvironment(spec, streamName),
      execArgv: [],
      // the young generation small: it is most of an idle environment's footprint past its code
      // (about 5 MB each), and handlers here allocate little between collections
      resourceLimits: { maxOldGenerationSizeMb: Math.max(16, spec.memoryMb), maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      workerData: {
        codeDir: spec.codeDir,
        handler: spec.handler,
        functionName: spec.name,
        arn: spec.arn,
        memoryMb: spec.memoryMb,
        logGroupName: `/aws/lambda/${spec.name}`,
        logStreamName: streamName,
        slots: shared,
        resultChunk: SEND_CHUNK,
        cacheFile,
        codeCache: cacheFile ? hooks.codeCache!.get(cacheFile) : undefined,
      },
    });
    // Idle workers must not keep the host process alive; a running invocation holds its own timer.
    this.worker.unref();
    this.worker.on('message', (batch: WorkerMessage[]) => {
      for (let i = 0; i < batch.length; i++) this.onMessage(batch[i]);
    });
    this.worker.on('error', (err: Error & { code?: string }) => {
      const oom = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.fail(oom ? 'Runtime.OutOfMemory' : 'Runtime.ExitError', oom ? 'Runtime exited with error: signal: killed' : `Runtime exited with error: ${err.message}`, []);
    });
    this.worker.on('exit', (code) => {
      this.fail('Runtime.ExitError', `Runtime exited with error: exit status ${code}`, []);
    });
  }

  /** Output written during the init phase (handed to the first invocation's logs). */
  takeInitLines(): string[] {
    const l = this.initLines;
    this.initLines = [];
    return l;
  }

  /** Waits for the init phase; resolves null when ready, or the error outcome of a failed init. */
  async waitReady(): Promise<RawOutcome | null> {
    if (this.ready) return null;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<RawOutcome>((resolve) => {
      timer = setTimeout(
        () => resolve({ kind: 'error', errorType: 'Runtime.InitTimeout', errorMessage: `Init phase exceeded ${INIT_TIMEOUT_MS / 1000} seconds`, trace: [] }),
        INIT_TIMEOUT_MS,
      );
    });
    const outcome = await Promise.race([this.readyPromise, timeout]);
    clearTimeout(timer);
    if (outcome) void this.terminate();
    return outcome;
  }

  /** Runs `job` now (environment idle) or right after the invocations already handed to it. */
  submit(job: Job): void {
    job.id = this.nextId++;
    job.lines = [];
    this.lastUsed = Date.now();
    if (!this.head) {
      job.slot = -1;
      this.begin(job);
    } else {
      const slot = this.nextSlot;
      this.nextSlot = (slot + 1) % SLOT_COUNT;
      job.slot = slot;
      Atomics.store(this.slots, slot, SLOT_QUEUED);
      this.followers.push(job);
    }
    this.outbox.push({
      t: 'invoke',
      id: job.id,
      slot: job.slot,
      requestId: job.requestId,
      traceId: job.traceId,
      clientContext: job.clientContext,
      event: job.eventJson,
      timeoutMs: this.spec.timeoutSeconds * 1000,
    });
    // An invocation that starts now goes out at once (the worker is waiting for it). Followers of a running one go in
    // chunks: each postMessage that has to wake a sleeping worker thread is expensive, so they are sent together, but
    // in chunks small enough for the worker to start on them while this thread is still taking in more requests.
    if (job.slot === -1 || this.outbox.length >= SEND_CHUNK) this.flush();
    else if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(this.flush);
    }
  }

  private readonly flush = (): void => {
    this.flushQueued = false;
    if (!this.outbox.length) return;
    const batch = this.outbox;
    this.outbox = [];
    if (!this.dead) this.worker.postMessage(batch);
  };

  /** Takes back the followers that have not started yet. */
  stealFollowers(): Job[] {
    const stolen: Job[] = [];
    for (let i = this.followers.length - 1; i >= 0; i--) {
      const job = this.followers[i];
      if (Atomics.compareExchange(this.slots, job.slot!, SLOT_QUEUED, SLOT_STOLEN) === SLOT_QUEUED) {
        this.followers.splice(i, 1);
        stolen.unshift(job);
      }
    }
    return stolen;
  }

  async terminate(): Promise<void> {
    if (this.dead) return;
    this.markDead();
    await this.worker.terminate();
  }

  private markDead(): void {
    if (this.dead) return;
    this.dead = true;
    this.hooks.onDead(this);
  }

  private begin(job: Job): void {
    this.head = job;
    job.startedAt = performance.now();
    if (this.fresh) {
      this.fresh = false;
      const init = this.takeInitLines();
      for (const l of init) {
        job.lines!.push(l);
        job.onLine(l);
      }
    }
    job.timer = setTimeout(() => this.onTimeout(job), this.spec.timeoutSeconds * 1000);
  }

  private onTimeout(job: Job): void {
    if (this.head !== job) return;
    this.head = null;
    void this.terminate();
    job.done({ kind: 'timeout' }, job.lines!, performance.now() - job.startedAt!, this);
    this.orphanFollowers();
  }

  private onMessage(m: WorkerMessage): void {
    switch (m.t) {
      case 'log': {
        const h = this.head;
        if (h) {
          h.lines!.push(m.line);
          h.onLine(m.line);
        } else if (this.fresh) this.initLines.push(m.line);
        else this.hooks.onStrayLine(m.line);
        return;
      }
      case 'ready':
        this.ready = true;
        this.resolveReady(null);
        return;
      case 'codeCache':
        this.hooks.codeCache?.put(m.file, Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength));
        return;
      case 'initError':
        this.resolveReady({ kind: 'error', errorType: m.errorType, errorMessage: m.errorMessage, trace: m.trace });
        return;
      case 'result': {
        const job = this.head;
        if (!job || job.id !== m.id) return;
        clearTimeout(job.timer);
        this.head = null;
        this.lastUsed = Date.now();
        const durationMs = performance.now() - job.startedAt!;
        this.hooks.onDuration(m.d);
        // The worker starts the next follower as soon as it posted this result, unless that one was stolen.
        while (this.followers.length) {
          const f = this.followers.shift()!;
          if (Atomics.load(this.slots, f.slot!) === SLOT_STOLEN) continue;
          this.begin(f);
          break;
        }
        job.done(
          m.ok ? { kind: 'ok', payloadJson: m.payload } : { kind: 'error', errorType: m.errorType, errorMessage: m.errorMessage, trace: m.trace },
          job.lines!,
          durationMs,
          this,
        );
        if (!this.head && !this.dead) this.hooks.onIdle(this);
        return;
      }
      case 'fatal':
        this.fail(m.errorType, m.errorMessage, m.trace);
        void this.terminate();
        return;
    }
  }

  private orphanFollowers(): void {
    if (!this.followers.length) return;
    const jobs = this.followers.splice(0, this.followers.length);
    this.hooks.onOrphans(this, jobs);
  }

  /** The worker is gone or unusable: settle whatever was waiting on it. */
  private fail(errorType: string, errorMessage: string, trace: string[]): void {
    const wasDead = this.dead;
    this.markDead();
    this.resolveReady({ kind: 'error', errorType, errorMessage, trace });
    const job = this.head;
    if (job) {
      this.head = null;
      clearTimeout(job.timer);
      job.done({ kind: 'error', errorType, errorMessage, trace }, job.lines!, performance.now() - job.startedAt!, this);
    }
    this.orphanFollowers();
    if (!wasDead) this.hooks.log(`lambda ${this.spec.name}: execution environment ended (${errorType}: ${errorMessage})`);
  }
}
