/**
 * The Step Functions service: state machines, executions (running ones in memory as runners, all of them
 * in the index and their journals), task tokens, and the integrations executions call. The API modules
 * (api/*.ts) validate requests and shape answers; this class owns the state.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { checkName, executionArn, expressExecutionArn } from './arn';
import type { Definition } from './asl/types';
import { systemClock, type Clock } from './clock';
import { executionAlreadyExists, executionDoesNotExist, invalidExecutionInput, stateMachineDoesNotExist, SfnApiError } from './errors';
import { createIntegrations, type InvokeLambda } from './integrations/index';
import type { ChildDescription, NestedExecutions } from './integrations/states';
import type { IntegrationResolver } from './integrations/types';
import { ExecutionRunner, type ExecutionOutcome } from './runtime/execution';
import { isTerminal, publicEvent, type HistoryEvent, type JournalLine, type StoredEvent } from './runtime/history';
import { Archive } from './store/archive';
import { ExecutionIndex, NINETY_DAYS_MS, type ExecSummary } from './store/executions';
import { Flusher } from './store/flusher';
import { MemoryJournal, WalJournal } from './store/journal';
import { WriteAheadLog } from './store/wal';
import { MachineStore, type MachineRecord } from './store/state-machines';
import { TaskTokens } from './tokens';
import { newTraceHeader } from './trace';
import { executionTracer } from './tracing';

export interface StateMachineRef {
  arn: string;
  name: string;
  type: 'STANDARD' | 'EXPRESS';
  loggingConfiguration: MachineRecord['loggingConfiguration'];
}

export interface StepFunctionsOptions {
  /** Where state machines, executions and their journals live. */
  dataDir: string;
  region?: string;
  accountId?: string;
  /** Runs a Lambda function (the local Lambda runtime's invoke). */
  invokeLambda: InvokeLambda;
  /** The edge endpoint that serves DynamoDB, SQS, SNS, EventBridge... for service integrations. */
  edgeUrl: () => string;
  /** Time for history and waits (default: the system clock; see clock.ts for skippingClock). */
  clock?: Clock;
  log?: (m: string) => void;
  /** Every history event as it is written (for the log group of a state machine's LoggingConfiguration). */
  onHistoryEvent?: (executionArn: string, event: HistoryEvent, stateMachine: StateMachineRef) => void;
  /**
   * Where the segments of executions of state machines with tracing enabled go (./tracing.ts):
   * a segment per execution, a subsegment per state. None: no segments.
   */
  tracing?: import('../xray').SegmentSink;
  /** Closed executions kept at most (default 10,000); they are also dropped after 90 days. */
  maxClosedExecutions?: number;
  retentionMs?: number;
}

export interface ExpressRecord {
  arn: string;
  runner: ExecutionRunner;
  machine: MachineRecord;
  name: string;
  startDate: number;
  inputText: string;
}

export class StepFunctionsService {
  readonly region: string;
  readonly accountId: string;
  readonly clock: Clock;
  readonly machines: MachineStore;
  readonly index: ExecutionIndex;
  readonly tokens: TaskTokens;
  readonly integrations: IntegrationResolver;
  /** Running Standard executions. */
  readonly runners = new Map<string, ExecutionRunner>();
  readonly flusher = new Flusher();
  readonly wal: WriteAheadLog;
  readonly archive: Archive;
  /** journal lines found in the write-ahead log at start-up, for resume() */
  private walAtStart: Map<string, JournalLine[]>;
  private readonly endWaiters = new Map<string, Array<() => void>>();
  private closed = false;
  private readonly lockFile: string;
  readonly log: (m: string) => void;

  /** Whether an execution started without a trace header is traced (the X-Ray sampling rule in force). */
  sampleNewTrace(): boolean {
    return this.opts.tracing?.sample?.() ?? true;
  }

  constructor(readonly opts: StepFunctionsOptions) {
    this.region = opts.region ?? 'us-east-1';
    this.accountId = opts.accountId ?? '000000000000';
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log ?? (() => undefined);
    fs.mkdirSync(opts.dataDir, { recursive: true });
    this.lockFile = lockDataDir(opts.dataDir);
    this.machines = new MachineStore(opts.dataDir);
    this.wal = new WriteAheadLog(opts.dataDir, this.flusher);
    this.archive = new Archive(opts.dataDir, this.flusher);
    this.index = new ExecutionIndex(opts.dataDir, {
      maxClosed: opts.maxClosedExecutions ?? 10_000,
      retentionMs: opts.retentionMs ?? NINETY_DAYS_MS,
      now: () => this.clock.now(),
      log: this.log,
      flusher: this.flusher,
      archive: this.archive,
    });
    this.walAtStart = this.wal.load();
    this.tokens = new TaskTokens((arn) => this.index.get(arn) !== undefined || this.runners.has(arn));
    const nested: NestedExecutions = {
      start: async (p) => {
        const m = this.machineOrThrow(p.stateMachineArn);
        const r = this.startExecution(m, p.name ?? crypto.randomUUID(), JSON.stringify(p.input ?? {}), p.traceHeader);
        return { executionArn: r.arn, startDate: r.startDate };
      },
      wait: (arn, signal) => this.waitForEnd(arn, signal).then(() => this.childDescription(arn)),
    };
    this.integrations = createIntegrations({ region: this.region, accountId: this.accountId, invokeLambda: opts.invokeLambda, edgeUrl: opts.edgeUrl, nested });
  }

  machineOrThrow(arn: string): MachineRecord {
    const m = this.machines.get(arn);
    if (!m) throw stateMachineDoesNotExist(arn);
    return m;
  }

  summaryOrThrow(arn: string): ExecSummary {
    const s = this.index.get(arn);
    if (!s) throw executionDoesNotExist(arn);
    return s;
  }

  private refOf(m: MachineRecord): StateMachineRef {
    return { arn: m.arn, name: m.name, type: m.type, loggingConfiguration: m.loggingConfiguration };
  }

  private runnerFor(m: MachineRecord, info: { arn: string; name: string; input: unknown; startDate: number; redriveCount: number; traceHeader: string }, definition: Definition, journal: WalJournal | MemoryJournal, prior?: JournalLine[]): ExecutionRunner {
    const ref = this.refOf(m);
    const onHistory = this.opts.onHistoryEvent;
    const traced =
      this.opts.tracing && m.tracingConfiguration.enabled
        ? executionTracer({ executionArn: info.arn, stateMachineArn: m.arn, stateMachineName: m.name, traceHeader: info.traceHeader, startDate: info.startDate, redriveCount: info.redriveCount }, this.opts.tracing)
        : undefined;
    const onEvent =
      traced || onHistory
        ? (ev: HistoryEvent) => {
            traced?.(ev as StoredEvent);
            onHistory?.(info.arn, publicEvent(ev), ref);
          }
        : undefined;
    return new ExecutionRunner(
      {
        clock: this.clock,
        region: this.region,
        accountId: this.accountId,
        integrations: this.integrations,
        tokens: this.tokens,
        log: this.log,
        onEvent,
      },
      {
        executionArn: info.arn,
        name: info.name,
        stateMachineArn: m.arn,
        stateMachineName: m.name,
        roleArn: m.roleArn,
        type: m.type,
        input: info.input,
        startDate: info.startDate,
        redriveCount: info.redriveCount,
        traceHeader: info.traceHeader,
      },
      definition,
      journal,
      prior,
    );
  }

  static parseInput(text: unknown): unknown {
    if (text === undefined || text === null) return {};
    if (typeof text !== 'string') throw invalidExecutionInput('Invalid execution input.');
    if (text.trim() === '') throw invalidExecutionInput('Invalid execution input.');
    try {
      return JSON.parse(text);
    } catch (e) {
      throw invalidExecutionInput((e as Error).message);
    }
  }

  /**
   * StartExecution of a Standard state machine. The same name and input while that execution runs
   * returns it again; a closed execution of that name, or another input, is ExecutionAlreadyExists.
   */
  startExecution(m: MachineRecord, name: string, inputText: string | undefined, traceHeader?: string): ExecSummary {
    checkName(name);
    const arn = executionArn(this.region, this.accountId, m.name, name);
    const input = StepFunctionsService.parseInput(inputText);
    const existing = this.index.get(arn);
    if (existing) {
      const r = this.runners.get(arn);
      if (existing.status === 'RUNNING' && r && isSameJson(r.info.input, input)) return existing;
      throw executionAlreadyExists(arn);
    }
    const summary: ExecSummary = {
      arn,
      smArn: m.arn,
      smName: m.name,
      name,
      status: 'RUNNING',
      startDate: this.clock.now(),
      redriveCount: 0,
      defHash: m.defHash,
      roleArn: m.roleArn,
      traceHeader: traceHeader ?? newTraceHeader(this.sampleNewTrace()),
    };
    const journal = new WalJournal(this.wal, arn);
    const runner = this.runnerFor(m, { arn, name, input, startDate: summary.startDate, redriveCount: 0, traceHeader: summary.traceHeader }, this.machines.definition(m.defHash).parsed, journal);
    this.index.add(summary);
    this.track(summary, runner);
    return summary;
  }

  private track(summary: ExecSummary, runner: ExecutionRunner): void {
    this.runners.set(summary.arn, runner);
    runner.run().then(
      (o) => this.closeExecution(summary, runner, o),
      (e) => this.log(`stepfunctions: ${summary.arn} crashed: ${(e as Error).stack ?? e}`),
    );
  }

  private closeExecution(summary: ExecSummary, runner: ExecutionRunner, o: ExecutionOutcome | null): void {
    if (this.runners.get(summary.arn) === runner) this.runners.delete(summary.arn);
    if (!o || this.closed) return;
    this.archiveHistory(summary);
    summary.status = o.status;
    summary.stopDate = o.stopDate;
    if (o.status !== 'SUCCEEDED') {
      summary.error = o.error;
      summary.cause = o.cause;
    } else {
      delete summary.error;
      delete summary.cause;
    }
    this.index.update(summary);
    const w = this.endWaiters.get(summary.arn);
    if (w) {
      this.endWaiters.delete(summary.arn);
      for (const f of w) f();
    }
  }

  /** StopExecution: records ExecutionAborted and stops the interpreter. */
  stopExecution(s: ExecSummary, error?: string, cause?: string): number {
    const r = this.runners.get(s.arn);
    if (s.status !== 'RUNNING' || !r) return s.stopDate ?? this.clock.now();
    const o = r.stop(error, cause);
    this.closeExecution(s, r, o);
    return o?.stopDate ?? this.clock.now();
  }

  /**
   * Moves an ended execution's history from the write-ahead log to the archive: the archive line and the
   * index entry are written in the same group commit, and the log lets go of its lines only after that.
   */
  private archiveHistory(s: ExecSummary): void {
    const lines = this.wal.lines(s.arn);
    const old = s.h;
    s.h = this.archive.add(lines);
    this.flusher.afterCommit(() => {
      this.wal.release(s.arn);
      if (old) this.archive.drop(old);
    });
  }

  private archivedLines(s: ExecSummary): JournalLine[] {
    return s.h ? this.archive.read(s.h) : [];
  }

  /** RedriveExecution: continues a failed, aborted or timed-out execution from the states that did not succeed. */
  redrive(s: ExecSummary): number {
    const m = this.machines.get(s.smArn);
    const lines = this.archivedLines(s);
    this.wal.checkpoint(s.arn, lines);
    const events = lines.filter((l): l is StoredEvent => !(l as { _retry?: boolean })._retry);
    const started = events.find((e) => e.type === 'ExecutionStarted');
    const input = started ? JSON.parse((started.executionStartedEventDetails as { input: string }).input) : {};
    const machine: MachineRecord = m ?? { ...fallbackMachine(s), defHash: s.defHash };
    s.redriveCount += 1;
    s.redriveDate = this.clock.now();
    s.status = 'RUNNING';
    delete s.stopDate;
    delete s.error;
    delete s.cause;
    const journal = new WalJournal(this.wal, s.arn);
    const runner = this.runnerFor(machine, { arn: s.arn, name: s.name, input, startDate: s.startDate, redriveCount: s.redriveCount, traceHeader: s.traceHeader }, this.machines.definition(s.defHash).parsed, journal, lines);
    runner.prepareRedrive();
    this.index.update(s);
    this.track(s, runner);
    return s.redriveDate;
  }

  /** StartSyncExecution / StartExecution of an Express state machine: in memory only, as AWS keeps none. */
  startExpress(m: MachineRecord, name: string, inputText: string | undefined, traceHeader?: string): ExpressRecord {
    checkName(name);
    const input = StepFunctionsService.parseInput(inputText);
    const arn = expressExecutionArn(this.region, this.accountId, m.name, name, crypto.randomUUID());
    const startDate = this.clock.now();
    const runner = this.runnerFor(m, { arn, name, input, startDate, redriveCount: 0, traceHeader: traceHeader ?? newTraceHeader(this.sampleNewTrace()) }, this.machines.definition(m.defHash).parsed, new MemoryJournal());
    return { arn, runner, machine: m, name, startDate, inputText: JSON.stringify(input) };
  }

  /** Resolves when a Standard execution has ended (immediately if it has). */
  waitForEnd(arn: string, signal?: AbortSignal): Promise<void> {
    const s = this.index.get(arn);
    if (!s || s.status !== 'RUNNING') return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let l = this.endWaiters.get(arn);
      if (!l) this.endWaiters.set(arn, (l = []));
      const done = () => resolve();
      l.push(done);
      signal?.addEventListener(
        'abort',
        () => {
          const list = this.endWaiters.get(arn);
          if (list) list.splice(list.indexOf(done), 1);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  /** The events of an execution: from memory while it runs, from its journal once closed. */
  history(s: ExecSummary): StoredEvent[] {
    const r = this.runners.get(s.arn);
    if (r) return r.events;
    return this.archivedLines(s).filter((l): l is StoredEvent => !(l as { _retry?: boolean })._retry);
  }

  /** Input and output texts of an execution (from its ExecutionStarted and last terminal event). */
  inputOutput(s: ExecSummary): { input: string; output?: string } {
    const events = this.history(s);
    const started = events.find((e) => e.type === 'ExecutionStarted');
    const input = started ? (started.executionStartedEventDetails as { input: string }).input : '{}';
    let output: string | undefined;
    if (s.status === 'SUCCEEDED') {
      for (let i = events.length - 1; i >= 0; i--) {
        if (events[i].type === 'ExecutionSucceeded') {
          output = (events[i].executionSucceededEventDetails as { output: string }).output;
          break;
        }
      }
    }
    return { input, output };
  }

  childDescription(arn: string): ChildDescription {
    const s = this.summaryOrThrow(arn);
    const io = this.inputOutput(s);
    const d: ChildDescription = { ExecutionArn: s.arn, StateMachineArn: s.smArn, Name: s.name, Status: s.status, StartDate: s.startDate, Input: io.input };
    if (s.stopDate !== undefined) d.StopDate = s.stopDate;
    if (io.output !== undefined) d.Output = io.output;
    if (s.error) d.Error = s.error;
    if (s.cause) d.Cause = s.cause;
    return d;
  }

  /** Continues every execution the journal shows running (after a restart or a crash). */
  async resume(): Promise<void> {
    const running = this.index.running();
    const found = this.walAtStart;
    this.walAtStart = new Map();
    this.wal.forgetAllBut(new Set(running.map((s) => s.arn)));
    for (const s of running) {
      if (this.runners.has(s.arn)) continue;
      try {
        const lines = found.get(s.arn) ?? this.archivedLines(s);
        const events = lines.filter((l): l is StoredEvent => !(l as { _retry?: boolean })._retry);
        const terminal = [...events].reverse().find((e) => isTerminal(e.type) || e.type === 'ExecutionRedriven');
        if (terminal && isTerminal(terminal.type)) {
          // ended after its last index write: record the end it journaled
          this.recordJournaledEnd(s, terminal);
          continue;
        }
        const m = this.machines.get(s.smArn) ?? { ...fallbackMachine(s), defHash: s.defHash };
        const started = events.find((e) => e.type === 'ExecutionStarted');
        const input = started ? JSON.parse((started.executionStartedEventDetails as { input: string }).input) : {};
        if (!found.has(s.arn)) this.wal.checkpoint(s.arn, lines);
        const runner = this.runnerFor(m, { arn: s.arn, name: s.name, input, startDate: s.startDate, redriveCount: s.redriveCount, traceHeader: s.traceHeader }, this.machines.definition(s.defHash).parsed, new WalJournal(this.wal, s.arn), lines);
        this.track(s, runner);
      } catch (e) {
        this.log(`stepfunctions: cannot resume ${s.arn}: ${(e as Error).message}`);
      }
    }
    this.index.startRetention();
    this.archive.collectUnreferenced();
  }

  private recordJournaledEnd(s: ExecSummary, e: StoredEvent): void {
    const status = e.type === 'ExecutionSucceeded' ? 'SUCCEEDED' : e.type === 'ExecutionFailed' ? 'FAILED' : e.type === 'ExecutionAborted' ? 'ABORTED' : 'TIMED_OUT';
    const d = (e[`${e.type[0].toLowerCase()}${e.type.slice(1)}EventDetails`] ?? {}) as { error?: string; cause?: string };
    s.status = status;
    s.stopDate = e.timestamp;
    if (status !== 'SUCCEEDED') {
      s.error = d.error ?? null;
      s.cause = d.cause ?? null;
    }
    this.archiveHistory(s);
    this.index.update(s);
  }

  /** Stops the interpreters without recording anything: the journals stay as they are, a restart resumes them. */
  close(): void {
    this.closed = true;
    this.flusher.flushAll();
    for (const r of this.runners.values()) r.detach();
    this.runners.clear();
    this.wal.close();
    this.archive.close();
    this.index.close();
    fs.rmSync(this.lockFile, { force: true });
  }
}

/**
 * One process per data folder: two interpreters appending to the same journals would each run the same
 * executions. The lock names its process; a lock left by a dead process (kill -9) is taken over.
 */
function lockDataDir(dir: string): string {
  const file = `${dir}/.lock`;
  try {
    const pid = Number(fs.readFileSync(file, 'utf8'));
    if (pid && pid !== process.pid && isAlive(pid)) throw new Error(`the Step Functions data folder ${dir} is in use by process ${pid}`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  fs.writeFileSync(file, String(process.pid));
  return file;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function fallbackMachine(s: ExecSummary): MachineRecord {
  return {
    name: s.smName,
    arn: s.smArn,
    type: 'STANDARD',
    roleArn: s.roleArn,
    defHash: s.defHash,
    creationDate: s.startDate,
    loggingConfiguration: { level: 'OFF', includeExecutionData: false },
    tracingConfiguration: { enabled: false },
    tags: {},
  };
}

export function isSameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export { SfnApiError };
