/**
 * One execution: walks the definition state by state, writes AWS's history event by event (each event
 * reaches the journal before the next transition acts) and can resume from its journal after a crash.
 *
 * Threads: the top level, every Parallel branch and every Map iteration is a thread with an id
 * ("" for the top level, "<parent>/<StartedEventId>.<index>" below it). Each stored event names its
 * thread, so that on resume every thread finds its last entered state: a state that exited is never
 * entered again; a state that was entered and not exited is run again from what its events show
 * (a Task in flight is invoked again, a Wait waits for the time left, a retry waits for its interval).
 */
import type { BranchDef, Definition, StateDef } from '../asl/types';
import type { Clock } from '../clock';
import type { IntegrationResolver } from '../integrations/types';
import { AbortScope, BranchAborted, errorMatches, ExecutionAborted, StateFault, StatesError, TaskTimeout } from './errors';
import { json, truncatedFalse, type EventExtra, type HistoryEvent, type JournalLine, type RetryRecord, type StoredEvent } from './history';
import { applyResultPath } from './payload';
import { STATE_HANDLERS } from './states/index';
import type { VarScope } from './variables';
import { newVarScope, restoreAssignments } from './variables';

export interface ExecutionInfo {
  executionArn: string;
  name: string;
  stateMachineArn: string;
  stateMachineName: string;
  roleArn: string;
  type: 'STANDARD' | 'EXPRESS';
  input: unknown;
  startDate: number;
  redriveCount: number;
  traceHeader: string;
}

export type ExecutionOutcome =
  | { status: 'SUCCEEDED'; output: unknown; stopDate: number }
  | { status: 'FAILED' | 'ABORTED' | 'TIMED_OUT'; error: string | null; cause: string | null; stopDate: number };

export interface Journal {
  append(line: JournalLine): void;
  /** Writes what is buffered (before the interpreter acts outside the process). */
  flush?(): void;
  /** The execution is waiting (a Wait, a retry interval, a task token): the file may be closed meanwhile. */
  idle?(): void;
  close(): void;
}

export interface TokenBroker {
  issue(executionArn: string): string;
  /** Resolves with the output of SendTaskSuccess; rejects with a StatesError (SendTaskFailure) or TaskTimeout (heartbeat). */
  wait(token: string, executionArn: string, opts: { signal: AbortSignal; heartbeatSeconds?: number }): Promise<unknown>;
}

export interface RunnerDeps {
  clock: Clock;
  region: string;
  accountId: string;
  integrations: IntegrationResolver;
  tokens: TokenBroker;
  onEvent?: (event: HistoryEvent) => void;
  log?: (m: string) => void;
}

export class Thread {
  constructor(
    readonly id: string,
    public lastId: number,
    readonly scope: AbortScope,
    readonly vars: VarScope,
  ) {}
  get signal(): AbortSignal {
    return this.scope.signal;
  }
}

/** What a state found in the journal when the execution resumes inside it. */
export interface StateResume {
  entered: StoredEvent;
  /** the thread's events after the Entered event */
  after: StoredEvent[];
  /** retry decisions taken in this state */
  retries: RetryRecord[];
}

export interface StateResult {
  output: unknown;
  next: string | null;
  /** Assign: the variables this state assigned (recorded in stateExitedEventDetails.assignedVariables). */
  assigned?: Record<string, unknown>;
}

export type QL = 'JSONPath' | 'JSONata';

export class StateContext {
  constructor(
    readonly runner: ExecutionRunner,
    readonly name: string,
    readonly state: StateDef,
    /** The state's raw input. */
    readonly input: unknown,
    readonly thread: Thread,
    readonly enteredId: number,
    readonly enteredTime: number,
    readonly ql: QL,
    readonly resume: StateResume | undefined,
  ) {}

  emit(type: string, details?: Record<string, unknown>, x?: EventExtra): number {
    return this.runner.emit(this.thread, type, details, x);
  }

  /** The context object ($$) as AWS fills it for this state. */
  context(extra?: Record<string, unknown>, retryCount?: number): Record<string, unknown> {
    const state: Record<string, unknown> = { Name: this.name, EnteredTime: new Date(this.enteredTime).toISOString() };
    if (retryCount !== undefined) state.RetryCount = retryCount;
    return { ...this.runner.contextBase(), State: state, ...extra };
  }
}

const ENTERED = /StateEntered$/;
const EXITED = /StateExited$/;

export class ExecutionRunner {
  readonly events: StoredEvent[] = [];
  private seq = 0;
  private readonly root: AbortScope = new AbortScope();
  private readonly byThread = new Map<string, StoredEvent[]>();
  private readonly retryLog = new Map<string, RetryRecord[]>();
  private finished = false;
  private outcome: ExecutionOutcome | null = null;
  private timeoutTimer: NodeJS.Timeout | null = null;
  private ctxBase: Record<string, unknown> | null = null;
  /** Map iterations and Parallel branches allowed to run at once (AWS: inline Map runs at most 40). */
  static readonly INLINE_MAP_LIMIT = 40;

  constructor(
    readonly deps: RunnerDeps,
    readonly info: ExecutionInfo,
    readonly definition: Definition,
    private readonly journal: Journal,
    prior?: JournalLine[],
  ) {
    if (prior) {
      for (const line of prior) {
        if (isRetry(line)) {
          const k = `${line._th}#${line.en}`;
          let l = this.retryLog.get(k);
          if (!l) this.retryLog.set(k, (l = []));
          l.push(line);
          continue;
        }
        this.events.push(line);
        this.seq = Math.max(this.seq, line.id);
        let l = this.byThread.get(line._th);
        if (!l) this.byThread.set(line._th, (l = []));
        l.push(line);
      }
    }
  }

  get now(): number {
    return this.deps.clock.now();
  }

  get isFinished(): boolean {
    return this.finished;
  }

  contextBase(): Record<string, unknown> {
    if (!this.ctxBase) {
      const i = this.info;
      this.ctxBase = {
        Execution: {
          Id: i.executionArn,
          Input: i.input,
          StartTime: new Date(i.startDate).toISOString(),
          Name: i.name,
          RoleArn: i.roleArn,
          RedriveCount: i.redriveCount,
        },
        StateMachine: { Id: i.stateMachineArn, Name: i.stateMachineName },
      };
    }
    return this.ctxBase;
  }

  emit(thread: Thread | null, type: string, details?: Record<string, unknown>, x?: EventExtra, previous?: number): number {
    if (this.finished) throw new ExecutionAborted();
    const ev: StoredEvent = { timestamp: this.now, type, id: ++this.seq, previousEventId: previous ?? thread?.lastId ?? 0, _th: thread?.id ?? '' };
    if (details) ev[detailsKeyOf(type)] = details;
    if (x) ev._x = x;
    this.journal.append(ev);
    this.events.push(ev);
    if (thread) thread.lastId = ev.id;
    if (this.deps.onEvent) {
      try {
        this.deps.onEvent(ev);
      } catch (e) {
        this.deps.log?.(`stepfunctions: onHistoryEvent threw: ${(e as Error).message}`);
      }
    }
    return ev.id;
  }

  recordRetry(thread: Thread, enteredId: number, counts: number[], until: number): void {
    const r: RetryRecord = { _retry: true, _th: thread.id, en: enteredId, n: counts, until, after: this.seq };
    this.journal.append(r);
  }

  idle(): void {
    this.journal.idle?.();
  }

  flush(): void {
    this.journal.flush?.();
  }

  private redriving = false;

  /** Before run(): this run is a redrive (states that did not succeed are entered again). */
  prepareRedrive(): void {
    this.redriving = true;
    this.ctxBase = null;
    const last = this.events.length ? this.events[this.events.length - 1].id : 0;
    this.emit(null, 'ExecutionRedriven', { redriveCount: this.info.redriveCount }, undefined, last);
  }

  /** Starts (or resumes) the execution; resolves when it has ended. */
  async run(): Promise<ExecutionOutcome> {
    const resuming = this.events.length > 0;
    if (!resuming) {
      this.emit(null, 'ExecutionStarted', {
        input: json(this.info.input),
        inputDetails: truncatedFalse,
        roleArn: this.info.roleArn,
      });
    }
    const t = this.definition.TimeoutSeconds;
    if (typeof t === 'number' && t > 0) {
      const left = this.info.startDate + t * 1000 - Date.now();
      this.timeoutTimer = setTimeout(() => this.timeOut(), Math.max(0, Math.min(left, 2 ** 31 - 1)));
    }
    const thread = new Thread('', 0, this.root, newVarScope());
    try {
      const output = await this.runBranch(this.definition, this.info.input, thread, this.definition.QueryLanguage ?? 'JSONPath');
      if (!this.finished) {
        this.emit(thread, 'ExecutionSucceeded', { output: json(output), outputDetails: truncatedFalse });
        this.finish({ status: 'SUCCEEDED', output, stopDate: this.now });
      }
    } catch (e) {
      if (!this.finished) {
        if (e instanceof StatesError) {
          const details: Record<string, unknown> = {};
          if (e.error) details.error = e.error;
          if (e.errorCause !== null && e.errorCause !== undefined) details.cause = e.errorCause;
          this.emit(thread, 'ExecutionFailed', details);
          this.finish({ status: 'FAILED', error: e.error || null, cause: e.errorCause ?? null, stopDate: this.now });
        } else if (!(e instanceof ExecutionAborted) && !(e instanceof BranchAborted)) {
          const cause = `Internal error of the local Step Functions: ${(e as Error).message}`;
          this.deps.log?.(`stepfunctions: ${this.info.executionArn}: ${(e as Error).stack ?? e}`);
          this.emit(thread, 'ExecutionFailed', { error: 'States.Runtime', cause });
          this.finish({ status: 'FAILED', error: 'States.Runtime', cause, stopDate: this.now });
        }
      }
    }
    return this.outcome!;
  }

  /** Resolves once the execution has ended (after run()). */
  get result(): ExecutionOutcome | null {
    return this.outcome;
  }

  stop(error?: string, cause?: string): ExecutionOutcome | null {
    if (this.finished) return null;
    const details: Record<string, unknown> = {};
    if (error) details.error = error;
    if (cause) details.cause = cause;
    this.emit(null, 'ExecutionAborted', details, undefined, 0);
    const o: ExecutionOutcome = { status: 'ABORTED', error: error ?? null, cause: cause ?? null, stopDate: this.now };
    this.finish(o);
    this.root.abort(new ExecutionAborted());
    return o;
  }

  private timeOut(): void {
    if (this.finished) return;
    const last = this.events.length ? this.events[this.events.length - 1].id : 0;
    this.emit(null, 'ExecutionTimedOut', { error: 'States.Timeout' }, undefined, last);
    this.finish({ status: 'TIMED_OUT', error: 'States.Timeout', cause: null, stopDate: this.now });
    this.root.abort(new ExecutionAborted());
  }

  private finish(o: ExecutionOutcome): void {
    this.finished = true;
    this.outcome = o;
    if (this.timeoutTimer) clearTimeout(this.timeoutTimer);
    this.journal.close();
  }

  /** Abandons the execution without recording anything (the service is closing; a restart resumes it). */
  detach(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timeoutTimer) clearTimeout(this.timeoutTimer);
    this.root.abort(new ExecutionAborted());
    this.journal.close();
  }

  /** Runs the states of a branch (the definition, a Parallel branch, a Map iteration) to its end. */
  async runBranch(branch: BranchDef, input: unknown, thread: Thread, parentQl: QL): Promise<unknown> {
    const ql: QL = branch.QueryLanguage ?? parentQl;
    let name = branch.StartAt;
    let stateInput = input;
    let resume: StateResume | undefined;
    const prior = this.byThread.get(thread.id);
    if (prior && prior.length) {
      thread.lastId = prior[prior.length - 1].id;
      restoreAssignments(thread.vars, prior);
      let k = prior.length - 1;
      while (k >= 0 && !ENTERED.test(prior[k].type)) k--;
      if (k >= 0) {
        const entered = prior[k];
        const after = prior.slice(k + 1);
        const exited = after.find((e) => EXITED.test(e.type));
        const d = entered.stateEnteredEventDetails as { name: string; input: string };
        if (exited) {
          const out = JSON.parse((exited.stateExitedEventDetails as { output: string }).output);
          const next = exited._x?.next ?? null;
          if (next === null) return out;
          name = next;
          stateInput = out;
        } else {
          name = d.name;
          stateInput = JSON.parse(d.input);
          // a redrive enters the state that did not succeed again; a resume continues inside it
          if (!this.redriving) resume = { entered, after, retries: this.retryLog.get(`${thread.id}#${entered.id}`) ?? [] };
        }
      }
    }
    for (;;) {
      const state = branch.States[name];
      if (!state) throw new StatesError('States.Runtime', `The state '${name}' does not exist`);
      const r = await this.runState(name, state, stateInput, thread, state.QueryLanguage ?? ql, resume);
      resume = undefined;
      if (r.next === null) return r.output;
      name = r.next;
      stateInput = r.output;
    }
  }

  /** The events a thread wrote before a restart (empty for a new execution). */
  priorEvents(threadId: string): StoredEvent[] {
    return this.byThread.get(threadId) ?? [];
  }

  private async runState(name: string, state: StateDef, input: unknown, thread: Thread, ql: QL, resume?: StateResume): Promise<StateResult> {
    let enteredId: number;
    let enteredTime: number;
    if (resume) {
      enteredId = resume.entered.id;
      enteredTime = resume.entered.timestamp;
    } else {
      enteredTime = this.now;
      enteredId = this.emit(thread, `${state.Type}StateEntered`, { name, input: json(input), inputDetails: truncatedFalse });
    }
    const ctx = new StateContext(this, name, state, input, thread, enteredId, enteredTime, ql, resume);
    try {
      const r = await STATE_HANDLERS[state.Type](ctx);
      this.exitState(ctx, r);
      return r;
    } catch (err) {
      const e = err instanceof StateFault ? prefixed(err, name, enteredId) : err;
      if (e instanceof BranchAborted && !this.finished) {
        this.emit(thread, `${state.Type}StateAborted`);
        throw e;
      }
      if (!(e instanceof StatesError)) throw e;
      const heartbeat = e instanceof TaskTimeout && e.heartbeat;
      const catcher = state.Catch?.find((c) => errorMatches(c.ErrorEquals, e.error, { heartbeat }));
      if (!catcher) throw e;
      let r: StateResult;
      try {
        r = await STATE_HANDLERS.catch(ctx, catcher, e);
      } catch (f) {
        throw f instanceof StateFault ? prefixed(f, name, enteredId) : f;
      }
      this.exitState(ctx, r);
      return r;
    }
  }

  private exitState(ctx: StateContext, r: StateResult): void {
    if (ctx.state.Type === 'Fail') return;
    const details: Record<string, unknown> = { name: ctx.name, output: json(r.output), outputDetails: truncatedFalse };
    if (r.assigned) {
      details.assignedVariables = Object.fromEntries(Object.entries(r.assigned).map(([k, v]) => [k, json(v)]));
      details.assignedVariablesDetails = truncatedFalse;
      for (const [k, v] of Object.entries(r.assigned)) ctx.thread.vars.vars.set(k, v);
    }
    ctx.emit(`${ctx.state.Type}StateExited`, details, { next: r.next });
  }

  /** The default error output of Catch ({Error, Cause}) with the catcher's ResultPath. */
  static catchOutput(input: unknown, resultPath: string | null | undefined, e: StatesError): unknown {
    return applyResultPath(resultPath, input, { Error: e.error, Cause: e.errorCause ?? '' });
  }
}

const isRetry = (l: JournalLine): l is RetryRecord => (l as RetryRecord)._retry === true;

function prefixed(e: StateFault, name: string, enteredId: number): StatesError {
  return new StatesError(e.error, `An error occurred while executing the state '${name}' (entered at the event id #${enteredId}). ${e.detail}`);
}

const DETAILS = new Map<string, string>();
function detailsKeyOf(type: string): string {
  let k = DETAILS.get(type);
  if (!k) {
    if (ENTERED.test(type)) k = 'stateEnteredEventDetails';
    else if (EXITED.test(type)) k = 'stateExitedEventDetails';
    else k = `${type[0].toLowerCase()}${type.slice(1)}EventDetails`;
    DETAILS.set(type, k);
  }
  return k;
}
