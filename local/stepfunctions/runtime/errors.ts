/**
 * Errors raised while an execution runs. Their `error` is the ASL error name ("States.Runtime",
 * "States.Timeout", "Lambda.ServiceException", a function's own errorType...), so that Retry and
 * Catch match them with a plain string comparison of `ErrorEquals`.
 */
export class StatesError extends Error {
  constructor(
    readonly error: string,
    readonly errorCause: string | null = null,
  ) {
    super(errorCause ?? error);
    this.name = 'StatesError';
  }
}

/**
 * A failure raised by the evaluation of a state's fields (paths, intrinsic functions, Wait times, JSONata
 * expressions...). The state runner prefixes the message the way AWS words it:
 * "An error occurred while executing the state 'X' (entered at the event id #N). <message>".
 */
export class StateFault extends StatesError {
  constructor(
    error: string,
    readonly detail: string,
  ) {
    super(error, detail);
    this.name = 'StateFault';
  }
}

/** States.Runtime: terminal, never retried nor caught. */
export class RuntimeFault extends StateFault {
  constructor(detail: string) {
    super('States.Runtime', detail);
    this.name = 'RuntimeFault';
  }
}

/** States.QueryEvaluationError: a JSONata expression failed (Retry and Catch can match it). */
export class QueryFault extends StateFault {
  constructor(detail: string) {
    super('States.QueryEvaluationError', detail);
    this.name = 'QueryFault';
  }
}

/** A task whose TimeoutSeconds (or HeartbeatSeconds) elapsed: history records States.Timeout. */
export class TaskTimeout extends StatesError {
  constructor(readonly heartbeat = false) {
    super('States.Timeout', null);
    this.name = 'TaskTimeout';
  }
}

/** The execution was stopped (StopExecution, execution timeout) while this code awaited. */
export class ExecutionAborted extends Error {
  constructor() {
    super('execution aborted');
    this.name = 'ExecutionAborted';
  }
}

/**
 * Whether a Retry or Catch `ErrorEquals` list matches an error, as AWS documents it: States.ALL matches
 * any error, States.TaskFailed any error but States.Timeout, and a heartbeat timeout (recorded as
 * States.Timeout) also matches States.HeartbeatTimeout. States.Runtime and States.DataLimitExceeded are
 * terminal: nothing retries or catches them (the recorded test_catch_states_runtime shows an explicit
 * "States.Runtime" catcher being ignored).
 */
export function errorMatches(errorEquals: readonly string[], error: string, opts: { heartbeat?: boolean } = {}): boolean {
  if (error === 'States.Runtime' || error === 'States.DataLimitExceeded') return false;
  for (const name of errorEquals) {
    if (name === error || name === 'States.ALL') return true;
    if (name === 'States.TaskFailed' && error !== 'States.Timeout') return true;
    if (name === 'States.HeartbeatTimeout' && opts.heartbeat && error === 'States.Timeout') return true;
  }
  return false;
}

/** A branch of a Parallel or an iteration of a Map stopped because a sibling failed. */
export class BranchAborted extends Error {
  constructor() {
    super('branch aborted');
    this.name = 'BranchAborted';
  }
}

/** An abort scope that also aborts when its parent does (with the parent's reason); dispose() unhooks it. */
export class AbortScope {
  readonly ac = new AbortController();
  private off: (() => void) | null = null;
  constructor(parent?: AbortSignal) {
    if (!parent) return;
    if (parent.aborted) this.ac.abort(parent.reason);
    else {
      const onAbort = () => this.ac.abort(parent.reason);
      parent.addEventListener('abort', onAbort, { once: true });
      this.off = () => parent.removeEventListener('abort', onAbort);
    }
  }
  get signal(): AbortSignal {
    return this.ac.signal;
  }
  abort(reason: unknown): void {
    this.ac.abort(reason);
  }
  dispose(): void {
    this.off?.();
    this.off = null;
  }
}
