/**
 * Placing an order (POST /api/orders). The saga is not started here: appending OrderPlaced is
 * the whole of accepting an order, and the saga starter, fed by the log's stream, starts the
 * execution from that event (no dual write: an accepted order gets its saga even if this
 * function dies right after the append).
 */
import { createHash, randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../../shared/clock';
import type { StepFault } from '../../shared/task';
import { IdempotencyKeyReusedError } from '../domain/errors';
import { newOrderEvent, type OrderPlacedData } from '../domain/events';
import { fold, orderView, type Order, type OrderView } from '../domain/order';
import type { OrderEventStore, PriceStore } from '../domain/ports';
import { priceOrder } from '../domain/pricing';
import { DEFAULT_PAYMENT_METHOD, type PlaceOrderBody } from '../schemas';
import { appendEvent } from './append';

export interface PlaceOrderDeps {
  store: OrderEventStore;
  prices: PriceStore;
  /** the execution ARN of the saga of an order */
  sagaId: (orderId: string) => string;
  clock?: Clock;
}

export interface PlaceOrderRequest {
  body: PlaceOrderBody;
  /** the saga's fault (fault injection on and `x-saga-fault` sent), else null */
  fault: StepFault | null;
  correlationId: string;
  idempotencyKey?: string;
}

export interface PlaceOrderResult {
  order: OrderView;
  /** true: the order existed already (its Idempotency-Key was used before) and nothing was placed */
  replayed: boolean;
}

/** A new order id: opaque, and valid as a Step Functions execution name (at most 80 of [A-Za-z0-9_-]). */
export const newOrderId = (): string => `ord_${randomUUID().replace(/-/g, '')}`;

/**
 * The order id of an Idempotency-Key: a retry of a request whose first answer was lost (even one
 * whose idempotency record expired or was never completed) finds the same order instead of
 * placing a second one.
 */
export const orderIdForKey = (key: string): string => `ord_${createHash('sha256').update(`idempotency-key\u0000${key}`).digest('hex').slice(0, 32)}`;

/** JSON with sorted keys, so that equal requests hash equally. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export const requestHash = (body: PlaceOrderBody, fault: StepFault | null): string =>
  createHash('sha256').update(canonical({ body, fault })).digest('hex');

function existing(order: Order, hash: string): PlaceOrderResult {
  if (order.requestHash !== hash) throw new IdempotencyKeyReusedError();
  return { order: orderView(order), replayed: true };
}

/**
 * 1. with an Idempotency-Key, an order already placed under it is the answer (the same request)
 *    or a 422 (another request);
 * 2. price every line from Orders' price list (422 unknown products or bad prices, 409 a price
 *    that is not the current one);
 * 3. append OrderPlaced with its read model and `order.placed` in one transaction.
 */
export async function placeOrder(deps: PlaceOrderDeps, req: PlaceOrderRequest): Promise<PlaceOrderResult> {
  const clock = deps.clock ?? systemClock;
  const hash = requestHash(req.body, req.fault);
  const orderId = req.idempotencyKey ? orderIdForKey(req.idempotencyKey) : newOrderId();
  if (req.idempotencyKey) {
    const found = fold(orderId, await deps.store.load(orderId));
    if (found) return existing(found, hash);
  }

  const prices = await deps.prices.getMany(req.body.items.map((i) => i.product_id));
  const priced = priceOrder(req.body.items, prices);
  const at = clock();
  const data: OrderPlacedData = {
    user_id: req.body.user_id,
    lines: priced.lines,
    total_minor: priced.totalMinor,
    currency: priced.currency,
    payment_method: req.body.payment_method ?? DEFAULT_PAYMENT_METHOD,
    placed_at: at,
    fault: req.fault,
    correlation_id: req.correlationId,
    saga_id: deps.sagaId(orderId),
    request_hash: hash,
  };
  const decision = await appendEvent(deps.store, orderId, (current) => {
    // Another request with this key won the race to place it.
    if (current) existing(current, hash);
    return newOrderEvent('OrderPlaced', data, at, req.correlationId);
  });
  return { order: orderView(decision.order), replayed: !decision.appended };
}
