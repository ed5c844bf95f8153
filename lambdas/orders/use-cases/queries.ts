/**
 * What the Orders API reads: an order (the read model), a user's orders (newest first), an
 * order's log, what Orders charges for a product, and an order's saga with its steps.
 */
import { OrderNotFoundError, PriceNotFoundError } from '../domain/errors';
import type { OrderEvent } from '../domain/events';
import type { OrderView } from '../domain/order';
import type { OrderEventStore, Page, PriceStore, SagaExecutions } from '../domain/ports';
import type { PriceEntry } from '../domain/pricing';
import type { ExecutionInfo } from '../domain/reconcile';
import { executionName, reconcileExecutionName, sagaSteps, type SagaStep } from '../domain/saga';
import { causeMessage } from '../domain/reasons';
import { toMajor } from '../../shared/money';

export async function getOrder(store: OrderEventStore, orderId: string): Promise<OrderView> {
  const order = await store.getOrder(orderId);
  if (!order) throw new OrderNotFoundError(orderId);
  return order;
}

export function listOrders(store: OrderEventStore, userId: string, limit: number, after?: Record<string, unknown>): Promise<Page<OrderView>> {
  return store.listByUser(userId, limit, after);
}

export interface LogEntry {
  seq: number;
  type: string;
  at: string;
  data: unknown;
}

/** The order's log as the API shows it (the payment method masked, as everywhere outside Orders). */
export async function orderEvents(store: OrderEventStore, orderId: string): Promise<LogEntry[]> {
  const events = await store.load(orderId);
  if (!events.length) throw new OrderNotFoundError(orderId);
  return events.map((e: OrderEvent) => {
    let data: unknown = e.data;
    if (e.type === 'OrderPlaced') {
      const { payment_method: pm, request_hash: _h, ...rest } = e.data;
      data = { ...rest, payment_method: 'card_number' in pm ? { type: 'card', last4: pm.card_number.slice(-4) } : { type: 'token' } };
    }
    return { seq: e.seq, type: e.type, at: e.at, data };
  });
}

export interface PriceView {
  product_id: string;
  name: string;
  price: number;
  price_minor: number;
  currency: string;
  version: number;
  updated_at: string;
}

/** The price Orders charges for a product now (404 when it is not orderable). */
export async function getPrice(prices: PriceStore, productId: string): Promise<PriceView> {
  const p: PriceEntry | undefined = (await prices.getMany([productId])).get(productId);
  if (!p || p.deleted) throw new PriceNotFoundError(productId);
  return { product_id: p.productId, name: p.name, price: toMajor(p.priceMinor, p.currency), price_minor: p.priceMinor, currency: p.currency, version: p.version, updated_at: p.updatedAt };
}

/**
 * The order's executions that exist: the saga, then the reconciler's compensating ones. The
 * reconciler starts those only after a saga that was stopped or timed out (reconcileAction), and
 * acts on the latest execution after that, so a saga that never stopped, timed out or was redriven
 * has none: they are not looked for (a DescribeExecution answered ExecutionDoesNotExist on every
 * status read of every order).
 */
export async function executionChain(executions: SagaExecutions, orderId: string, maxCompensations: number): Promise<ExecutionInfo[]> {
  const first = await executions.describe(executionName(orderId));
  if (!first) return [];
  const chain = [first];
  const mayHaveCompensations = first.status === 'ABORTED' || first.status === 'TIMED_OUT' || first.redriveCount > 0;
  if (!mayHaveCompensations) return chain;
  for (let n = 1; n <= maxCompensations; n++) {
    const next = await executions.describe(reconcileExecutionName(orderId, n));
    if (!next) break;
    chain.push(next);
  }
  return chain;
}

export interface SagaView {
  execution_arn: string;
  name: string;
  status: ExecutionInfo['status'] | 'NOT_STARTED';
  started_at: string | null;
  stopped_at: string | null;
  redrive_count: number;
  error: string | null;
  cause: string | null;
}

export interface OrderStatusView {
  order: OrderView;
  saga: SagaView;
  steps: Array<SagaStep & { execution: string }>;
  /** every execution of the order (more than one when the reconciler compensated it) */
  executions: SagaView[];
}

function sagaView(e: ExecutionInfo): SagaView {
  return {
    execution_arn: e.executionArn,
    name: e.name,
    status: e.status,
    started_at: e.startDate,
    stopped_at: e.stopDate ?? null,
    redrive_count: e.redriveCount,
    error: e.error ?? null,
    cause: e.cause ? causeMessage(e.cause).slice(0, 1000) : null,
  };
}

/**
 * The order with its saga: the latest execution's state (the saga, or the reconciler's latest
 * compensating execution) and every Task step of each, in order, with times, outcome and error.
 */
export async function orderStatus(store: OrderEventStore, executions: SagaExecutions, orderId: string, maxCompensations: number): Promise<OrderStatusView> {
  // The saga is read before the order: every event a saga appends is in the log before the saga
  // ends, so an order read afterwards is at least as far as the saga shown. Read the other way
  // round, a saga that ended between the two reads showed SUCCEEDED beside a CONFIRMED order that
  // its last step had already completed.
  const chain = await executionChain(executions, orderId, maxCompensations);
  const [order, histories] = await Promise.all([getOrder(store, orderId), Promise.all(chain.map((e) => executions.history(e.name)))]);
  const steps = chain.flatMap((e, i) => sagaSteps(histories[i]!).map((s) => ({ ...s, execution: e.name })));
  const latest = chain.at(-1);
  const saga: SagaView = latest
    ? sagaView(latest)
    : { execution_arn: order.saga_id, name: executionName(orderId), status: 'NOT_STARTED', started_at: null, stopped_at: null, redrive_count: 0, error: null, cause: null };
  return { order, saga, steps, executions: chain.map(sagaView) };
}
