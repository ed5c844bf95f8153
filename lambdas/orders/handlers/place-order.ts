/**
 * POST /api/orders: prices the order, appends OrderPlaced (the saga starts from the log's
 * stream) and answers 202 with the order id, the saga's execution ARN, the status and a
 * Location. With an Idempotency-Key, Powertools Idempotency makes a retried POST return the
 * first answer and place nothing (the same key with another body is 422, while the first is
 * still running 409).
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { readFaultInjectionEnabled } from '../../shared/env';
import { AppError, ServiceUnavailableError } from '../../shared/errors';
import { json, parseBody, type HttpEvent } from '../../shared/http';
import { annotateOrder, logger, metrics, MetricUnit } from '../../shared/powertools';
import type { StepFault } from '../../shared/task';
import { dynamoDb, eventStore, priceStore, sagaExecutions } from '../dependencies';
import { IdempotencyInProgressError, IdempotencyKeyReusedError } from '../domain/errors';
import type { OrderView } from '../domain/order';
import { readIdempotencyTable } from '../env';
import { placeOrderBody, type PlaceOrderBody } from '../schemas';
import { placeOrder } from '../use-cases/place-order';
import { correlationId, idempotencyKey, sagaFault } from './request';
import { METRICS } from '../../shared/metric-names';

const deps = { store: eventStore(), prices: priceStore(), sagaId: (orderId: string) => sagaExecutions().executionArn(orderId) };
const faultInjection = readFaultInjectionEnabled();

/** The 202's body: what the client needs to follow the order. */
export interface Accepted {
  order_id: string;
  saga_id: string;
  status: string;
  user_id: string;
  items: OrderView['items'];
  total: number;
  total_minor: number;
  currency: string;
  placed_at: string;
  links: { self: string; status: string; events: string };
}

const location = (orderId: string) => `/api/orders/${encodeURIComponent(orderId)}`;

function accepted(order: OrderView): Accepted {
  const self = location(order.order_id);
  return {
    order_id: order.order_id,
    saga_id: order.saga_id,
    status: order.status,
    user_id: order.user_id,
    items: order.items,
    total: order.total,
    total_minor: order.total_minor,
    currency: order.currency,
    placed_at: order.placed_at,
    links: { self, status: `${self}/status`, events: `${self}/events` },
  };
}

interface IdempotentRequest {
  key: string;
  request: { body: PlaceOrderBody; fault: StepFault | null };
  correlationId: string;
}

const idempotencyConfig = new IdempotencyConfig({
  eventKeyJmesPath: 'key',
  payloadValidationJmesPath: 'request',
  expiresAfterSeconds: 24 * 3600,
  throwOnNoIdempotencyKey: true,
});
let ranFirstTime = false;
const placeOnce = makeIdempotent(
  async (input: IdempotentRequest): Promise<Accepted> => {
    ranFirstTime = true;
    const { order } = await placeOrder(deps, { body: input.request.body, fault: input.request.fault, correlationId: input.correlationId, idempotencyKey: input.key });
    return accepted(order);
  },
  { persistenceStore: new DynamoDBPersistenceLayer({ tableName: readIdempotencyTable(), awsSdkV3Client: dynamoDb() }), config: idempotencyConfig },
);

async function placeIdempotently(input: IdempotentRequest, context: Context): Promise<{ answer: Accepted; replayed: boolean }> {
  idempotencyConfig.registerLambdaContext(context);
  ranFirstTime = false;
  try {
    const answer = await placeOnce(input);
    return { answer, replayed: !ranFirstTime };
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'IdempotencyValidationError') throw new IdempotencyKeyReusedError();
    if (name === 'IdempotencyAlreadyInProgressError') throw new IdempotencyInProgressError();
    if (name.startsWith('Idempotency')) throw new ServiceUnavailableError('orders cannot record the request right now; retry with the same Idempotency-Key', { cause: err });
    throw err;
  }
}

/** orders_created_total{status}: placed, replayed (same key, nothing placed), rejected (4xx), failed (5xx). */
function countCreated(status: 'placed' | 'replayed' | 'rejected' | 'failed') {
  const m = metrics.singleMetric();
  m.addDimensions({ status });
  m.addMetric(METRICS.ordersCreated.name, MetricUnit.Count, 1);
}

export async function placeOrderRoute(event: HttpEvent, context: Context) {
  const started = Date.now();
  try {
    const body = parseBody(event, placeOrderBody);
    const fault = sagaFault(event, faultInjection);
    const key = idempotencyKey(event);
    const correlation = correlationId(event, context);
    const { answer, replayed } = key
      ? await placeIdempotently({ key, request: { body, fault }, correlationId: correlation }, context)
      : { answer: accepted((await placeOrder(deps, { body, fault, correlationId: correlation })).order), replayed: false };
    countCreated(replayed ? 'replayed' : 'placed');
    annotateOrder(answer.order_id); // the request's trace is found by the order id (annotation.order_id)
    if (!replayed) {
      logger.info('order placed', { order_id: answer.order_id, user_id: answer.user_id, total_minor: answer.total_minor, currency: answer.currency, lines: answer.items.length, fault });
    }
    // order_processing_duration_seconds: the time to accept an order
    metrics.addMetric(METRICS.orderProcessingDuration.name, MetricUnit.Milliseconds, Date.now() - started);
    return json(202, answer, { location: answer.links.self, ...(replayed ? { 'idempotent-replayed': 'true' } : {}) });
  } catch (err) {
    countCreated(err instanceof AppError && err.statusCode < 500 ? 'rejected' : 'failed');
    throw err;
  }
}
