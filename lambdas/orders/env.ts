/**
 * The Orders functions' environment: the names of their variables (the CDK construct imports
 * them) and readers. The functions differ in what they reach, so each reader covers one part and
 * a handler's dependency module calls the ones it uses, once, when it loads. Importing this
 * module reads nothing.
 */
import { numberEnv, requiredEnv } from '../shared/config';
import { ConfigurationError } from '../shared/errors';

export const ORDERS_ENV = {
  /** each order's log (order_id, seq) */
  orderEventsTable: 'ORDER_EVENTS_TABLE',
  /** the read model (order_id), with the by_user and open_orders indexes */
  ordersTable: 'ORDERS_TABLE',
  /** Orders' projection of catalog prices (product_id) */
  orderPricesTable: 'ORDER_PRICES_TABLE',
  /** Powertools idempotency records of POST /api/orders (shared with Payments; keys are per function) */
  idempotencyTable: 'IDEMPOTENCY_TABLE',
  /** the order saga's state machine ARN; executions are named by order id */
  sagaStateMachineArn: 'SAGA_STATE_MACHINE_ARN',
  /** the reconciler looks at orders not at an end this many seconds after they were placed (default 300) */
  reconcileAfterSeconds: 'RECONCILE_AFTER_SECONDS',
  /** redrives of one FAILED execution before the reconciler leaves it to an operator (default 3) */
  reconcileMaxRedrives: 'RECONCILE_MAX_REDRIVES',
  /** compensating executions of one order before the reconciler leaves it to an operator (default 3) */
  reconcileMaxCompensations: 'RECONCILE_MAX_COMPENSATIONS',
  /** orders one reconciler run looks at, at most (default 200) */
  reconcileBatch: 'RECONCILE_BATCH',
} as const;

export const readOrderEventsTable = (): string => requiredEnv(ORDERS_ENV.orderEventsTable);
export const readOrdersTable = (): string => requiredEnv(ORDERS_ENV.ordersTable);
export const readOrderPricesTable = (): string => requiredEnv(ORDERS_ENV.orderPricesTable);
export const readIdempotencyTable = (): string => requiredEnv(ORDERS_ENV.idempotencyTable);

export function readSagaStateMachineArn(): string {
  const arn = requiredEnv(ORDERS_ENV.sagaStateMachineArn);
  if (!/^arn:[^:]+:states:[^:]*:[^:]*:stateMachine:[A-Za-z0-9_-]+$/.test(arn)) {
    throw new ConfigurationError(ORDERS_ENV.sagaStateMachineArn, `environment variable ${ORDERS_ENV.sagaStateMachineArn} must be a state machine ARN, got ${JSON.stringify(arn)}`);
  }
  return arn;
}

export interface ReconcilerConfig {
  deadlineSeconds: number;
  maxRedrives: number;
  maxCompensations: number;
  batch: number;
}

function positiveInteger(key: string, defaultValue: number, min = 0): number {
  const n = numberEnv(key, defaultValue);
  if (!Number.isInteger(n) || n < min) throw new ConfigurationError(key, `environment variable ${key} must be an integer of at least ${min}, got ${n}`);
  return n;
}

export function readReconcilerConfig(): ReconcilerConfig {
  return {
    deadlineSeconds: positiveInteger(ORDERS_ENV.reconcileAfterSeconds, 300),
    maxRedrives: positiveInteger(ORDERS_ENV.reconcileMaxRedrives, 3),
    maxCompensations: positiveInteger(ORDERS_ENV.reconcileMaxCompensations, 3),
    batch: positiveInteger(ORDERS_ENV.reconcileBatch, 200, 1),
  };
}
