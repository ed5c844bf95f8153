/**
 * The order saga as Orders sees it, pure: the execution's name and ARN (the order id: a second
 * start of one order is refused by Step Functions itself), its input (the contract in
 * statemachines/README.md), the fault a request may carry into it, and the steps read back from
 * an execution's history for `GET /api/orders/{id}/status`.
 */
import { BadRequestError } from '../../shared/errors';
import type { StepFault } from '../../shared/task';
import type { Order } from './order';
import { causeMessage } from './reasons';

/** The saga's input, which the state machine reads (`$.fault` and `$.payment_method` unconditionally). */
export interface SagaInput {
  order_id: string;
  user_id: string;
  correlation_id: string;
  placed_at: string;
  items: Array<{ product_id: string; quantity: number; unit_price_minor: number }>;
  total_minor: number;
  currency: string;
  payment_method: Order['paymentMethod'];
  fault: StepFault | null;
  /** `compensate`: start at the compensations (the reconciler, for an order stopped mid-way) */
  mode?: 'compensate';
}

export function sagaInput(order: Order, mode?: 'compensate'): SagaInput {
  const input: SagaInput = {
    order_id: order.orderId,
    user_id: order.userId,
    correlation_id: order.correlationId,
    placed_at: order.placedAt,
    items: order.lines.map((l) => ({ product_id: l.product_id, quantity: l.quantity, unit_price_minor: l.unit_price_minor })),
    total_minor: order.totalMinor,
    currency: order.currency,
    payment_method: order.paymentMethod,
    fault: order.fault ?? null,
  };
  if (mode) input.mode = mode;
  return input;
}

/** The name of the order's saga execution (the order id), and of the reconciler's n-th compensating one. */
export const executionName = (orderId: string): string => orderId;
export const reconcileExecutionName = (orderId: string, n: number): string => `${orderId}-reconcile-${n}`;

/** `arn:…:stateMachine:<machine>` + execution name → `arn:…:execution:<machine>:<name>`. */
export function executionArn(stateMachineArn: string, name: string): string {
  const m = /^(arn:[^:]+:states:[^:]*:[^:]*):stateMachine:([^:]+)$/.exec(stateMachineArn);
  if (!m) throw new Error(`not a state machine ARN: ${stateMachineArn}`);
  return `${m[1]}:execution:${m[2]}:${name}`;
}

export const FAULT_STEPS = ['reserve', 'payment', 'confirm'] as const;
export const FAULT_HEADER = 'x-saga-fault';

/**
 * The saga fault a request asks for: `<step>=<kind>`, step one of reserve, payment, confirm and
 * kind one of `delay=<ms>`, `error`, `crash` (`payment=delay=5000`, `confirm=crash`). A 400
 * naming the header when it is malformed.
 */
export function parseSagaFault(spec: string): StepFault {
  const at = spec.indexOf('=');
  const step = at > 0 ? spec.slice(0, at).trim() : '';
  const kind = at > 0 ? spec.slice(at + 1).trim() : '';
  if (!(FAULT_STEPS as readonly string[]).includes(step) || !/^(delay=\d{1,6}|error|crash)$/.test(kind)) {
    throw new BadRequestError(
      `${FAULT_HEADER} must be <step>=<kind>`,
      [{ field: FAULT_HEADER, message: `step one of ${FAULT_STEPS.join(', ')}; kind delay=<ms>, error or crash; got ${JSON.stringify(spec)}` }],
      'invalid_parameter',
    );
  }
  return { step, kind };
}

/** An event of an execution's history, as the Step Functions adapter hands it over. */
export interface SagaHistoryEvent {
  type: string;
  /** ISO-8601 UTC */
  timestamp: string;
  /** for *StateEntered / *StateExited */
  stateName?: string;
  error?: string;
  cause?: string;
}

export type StepOutcome = 'succeeded' | 'failed' | 'timed_out' | 'aborted' | 'running';

/** One Task state the execution entered: its name, times, outcome and (if it did not succeed) error. */
export interface SagaStep {
  name: string;
  started_at: string;
  ended_at: string | null;
  outcome: StepOutcome;
  /** how many times the task was called (retries included) */
  attempts: number;
  error: string | null;
  cause: string | null;
}

const SCHEDULED = new Set(['TaskScheduled', 'LambdaFunctionScheduled']);
const SUCCEEDED = new Set(['TaskSucceeded', 'LambdaFunctionSucceeded']);
const TIMED_OUT = new Set(['TaskTimedOut', 'LambdaFunctionTimedOut']);
const FAILED = new Set(['TaskFailed', 'TaskStartFailed', 'TaskSubmitFailed', 'LambdaFunctionFailed', 'LambdaFunctionStartFailed', 'LambdaFunctionScheduleFailed']);
const EXECUTION_END: Readonly<Record<string, StepOutcome>> = { ExecutionFailed: 'failed', ExecutionTimedOut: 'timed_out', ExecutionAborted: 'aborted' };

/**
 * Whether a history read without execution data misses something the steps show: the causes of
 * failures (Step Functions leaves them out with the data), so only a history with a failure in
 * it is worth reading again with its data.
 */
export function historyHasFailures(history: ReadonlyArray<SagaHistoryEvent>): boolean {
  return history.some((e) => FAILED.has(e.type) || TIMED_OUT.has(e.type) || EXECUTION_END[e.type] !== undefined);
}

/**
 * The Task states of an execution's history, in the order entered (a state entered again, after a
 * redrive, is a step again). A step ends when its state exits, or when another state is entered
 * without it exiting (a caught failure), or when the execution ends.
 */
export function sagaSteps(history: ReadonlyArray<SagaHistoryEvent>): SagaStep[] {
  const steps: SagaStep[] = [];
  let open: (SagaStep & { succeeded: boolean; lastFailure?: StepOutcome }) | undefined;
  const close = (at: string, outcome?: StepOutcome) => {
    if (!open) return;
    open.ended_at = at;
    open.outcome = outcome ?? (open.succeeded ? 'succeeded' : (open.lastFailure ?? 'failed'));
    if (open.outcome === 'succeeded') {
      open.error = null;
      open.cause = null;
    }
    const { succeeded: _s, lastFailure: _l, ...step } = open;
    steps.push(step);
    open = undefined;
  };
  for (const e of history) {
    if (e.type.endsWith('StateEntered')) {
      close(e.timestamp);
      if (e.type === 'TaskStateEntered') {
        open = { name: e.stateName ?? '?', started_at: e.timestamp, ended_at: null, outcome: 'running', attempts: 0, error: null, cause: null, succeeded: false };
      }
    } else if (!open) {
      continue;
    } else if (SCHEDULED.has(e.type)) {
      open.attempts += 1;
      open.succeeded = false;
    } else if (SUCCEEDED.has(e.type)) {
      open.succeeded = true;
    } else if (FAILED.has(e.type) || TIMED_OUT.has(e.type)) {
      open.lastFailure = TIMED_OUT.has(e.type) ? 'timed_out' : 'failed';
      open.error = e.error ?? null;
      open.cause = e.cause ? causeMessage(e.cause).slice(0, 1000) : null;
    } else if (e.type === 'TaskStateExited') {
      close(e.timestamp);
    } else if (EXECUTION_END[e.type]) {
      close(e.timestamp, open.succeeded ? 'succeeded' : (open.lastFailure ?? EXECUTION_END[e.type]));
    }
  }
  if (open) {
    const { succeeded: _s, lastFailure: _l, ...step } = open;
    steps.push(step);
  }
  return steps;
}
