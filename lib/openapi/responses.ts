/**
 * The answers of the API as zod schemas, for the OpenAPI document only (the services build their
 * answers from their domain views; these schemas name what a client may rely on). Objects are
 * loose: a field added later does not break a client, so it does not break the document either.
 */
import { z } from 'zod';

const isoTime = z.string().describe('ISO-8601 UTC');
const money = { currency: z.string().regex(/^[A-Z]{3}$/) };

/** The platform's error body (lambdas/shared/errors.ts). */
export const errorBody = z
  .strictObject({
    error: z.strictObject({
      code: z.string().describe('stable machine-readable code, e.g. validation_failed'),
      message: z.string(),
      details: z.array(z.looseObject({ field: z.string().optional(), message: z.string() })),
    }),
  })
  .describe('Every error the services answer: never a stack trace');

/** What API Gateway itself answers (missing or unknown key, throttles, quotas, bad parameters). */
export const gatewayError = z.strictObject({ message: z.string() }).describe("API Gateway's own answers: 403 Forbidden (no or unknown key), 429 Too Many Requests (throttle) or Limit Exceeded (quota), 400 for missing parameters");

const check = z.looseObject({
  status: z.enum(['ok', 'unavailable', 'degraded']).optional().describe('a dependency: whether it answered'),
  latency_ms: z.number().optional(),
  state: z.string().optional().describe("Payments' circuit breaker: closed, open, half_open, or unknown without Redis"),
});
export const health = z.looseObject({ service: z.string(), status: z.enum(['ok', 'degraded', 'unavailable']), time: isoTime, checks: z.record(z.string(), check) });

const page = <T extends z.ZodType>(item: T) => z.looseObject({ items: z.array(item), count: z.number().int().min(0), next_cursor: z.string().nullable() });

// --- Catalog ---
export const product = z
  .looseObject({
    product_id: z.string(),
    name: z.string(),
    description: z.string(),
    price: z.number(),
    price_minor: z.number().int(),
    ...money,
    category: z.string(),
    brand: z.string().nullable(),
    stock: z.number().int(),
    in_stock: z.boolean(),
    tags: z.array(z.string()),
    images: z.array(z.string()),
    attributes: z.record(z.string(), z.string()),
    featured: z.boolean(),
    popularity: z.number(),
    version: z.number().int(),
    created_at: isoTime,
    updated_at: isoTime,
  })
  ;
export const productPage = z
  .looseObject({ items: z.array(product), next_cursor: z.string().nullable().optional(), total: z.number().int().optional(), facets: z.record(z.string(), z.unknown()).optional() })
  ;
export const searchPage = z.looseObject({ query: z.string(), items: z.array(product) });
export const deleted = z.looseObject({ product_id: z.string(), deleted: z.boolean().optional() });
export const categories = z.looseObject({ items: z.array(z.looseObject({ category: z.string(), count: z.number().int().min(0) })), count: z.number().int().min(0) });

// --- Inventory ---
export const stock = z
  .looseObject({
    product_id: z.string(),
    available: z.number().int().min(0),
    reserved: z.number().int().min(0),
    low_stock: z.boolean(),
    low_stock_threshold: z.number().int(),
    version: z.number().int(),
    created_at: isoTime,
    updated_at: isoTime,
  })
  ;
export const stockPage = page(stock);

// --- Orders ---
const orderStatus = z.enum(['PLACED', 'RESERVED', 'PAID', 'CONFIRMED', 'COMPLETED', 'COMPENSATING', 'CANCELLED']);
export const order = z
  .looseObject({
    order_id: z.string(),
    user_id: z.string(),
    status: orderStatus,
    version: z.number().int(),
    items: z.array(
      z.looseObject({ product_id: z.string(), name: z.string(), quantity: z.number().int(), unit_price: z.number(), unit_price_minor: z.number().int(), line_total_minor: z.number().int() }),
    ),
    total: z.number(),
    total_minor: z.number().int(),
    ...money,
    payment_method: z.looseObject({}).describe('the card masked to its last four digits, or the token'),
    saga_id: z.string(),
    placed_at: isoTime,
    updated_at: isoTime,
    failure: z.looseObject({ step: z.string(), error: z.string(), cause: z.string(), at: isoTime }).optional(),
    cancellation: z.looseObject({ reason: z.string(), message: z.string(), failed_step: z.string(), decline_code: z.string().optional() }).optional(),
  })
  ;
export const orderAccepted = z
  .looseObject({ order_id: z.string(), saga_id: z.string(), status: orderStatus, total_minor: z.number().int(), ...money, placed_at: isoTime, links: z.looseObject({ self: z.string() }) })
  ;
export const orderPage = page(order);
export const orderEvents = z
  .looseObject({
    order_id: z.string(),
    version: z.number().int(),
    events: z.array(z.looseObject({ seq: z.number().int().min(1), type: z.string(), at: isoTime, data: z.unknown() })),
  })
  ;
const execution = z.looseObject({
  execution_arn: z.string(),
  name: z.string(),
  status: z.string().describe('NOT_STARTED, or the Step Functions execution status: RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE'),
  started_at: isoTime.nullable(),
  stopped_at: isoTime.nullable(),
  redrive_count: z.number().int().min(0),
  error: z.string().nullable(),
  cause: z.string().nullable(),
});
export const orderSagaStatus = z.looseObject({
  order,
  saga: execution.describe("the order's latest saga execution"),
  steps: z.array(
    z.looseObject({
      name: z.string().describe('the Task state (ReserveInventory, TakePayment, ReleaseInventory, ...)'),
      started_at: isoTime,
      ended_at: isoTime.nullable(),
      outcome: z.enum(['succeeded', 'failed', 'timed_out', 'aborted', 'running']),
      attempts: z.number().int().min(0).describe('calls of the task, retries included'),
      error: z.string().nullable(),
      cause: z.string().nullable(),
      execution: z.string().describe('the execution the step ran in (the saga, or a compensating one the reconciler started)'),
    }),
  ),
  executions: z.array(execution).describe("the saga's execution, then the reconciler's compensating ones"),
});
export const price = z.looseObject({ product_id: z.string(), price_minor: z.number().int(), ...money });

// --- Payments ---
export const payment = z
  .looseObject({
    payment_id: z.string(),
    order_id: z.string(),
    status: z.string(),
    amount_minor: z.number().int(),
    amount: z.number(),
    ...money,
    created_at: isoTime,
    updated_at: isoTime,
  })
  ;

// --- Notifications ---
const channel = z.enum(['email', 'sms', 'push']);
export const notification = z.looseObject({
  notification_id: z.string(),
  channel,
  type: z.string().describe('the template (order_confirmed, ...) or `custom`'),
  recipient: z.string().describe('email address, E.164 number or push endpoint ARN'),
  user_id: z.string().optional(),
  order_id: z.string().optional(),
  event_id: z.string().optional(),
  event_type: z.string().optional(),
  source: z.enum(['event', 'api']),
  status: z.enum(['pending', 'sent', 'failed']),
  subject: z.string().optional(),
  body: z.string(),
  html: z.string().optional(),
  attempts: z.number().int().min(0),
  provider_message_id: z.string().optional(),
  error: z.looseObject({ code: z.string(), message: z.string() }).optional(),
  created_at: isoTime,
  updated_at: isoTime,
  sent_at: isoTime.optional(),
  failed_at: isoTime.optional(),
});
export const notificationPage = page(notification);
export const preferences = z.looseObject({
  user_id: z.string(),
  email: z.string().optional(),
  phone: z.string().optional(),
  push_token: z.string().optional(),
  push_endpoint_arn: z.string().optional(),
  channels: z.array(channel),
  locale: z.string().optional(),
  name: z.string().optional(),
  created_at: isoTime,
  updated_at: isoTime,
});

/** The answers named in the document's components (the others are written inline). */
export const COMPONENTS: Record<string, z.ZodType> = {
  Error: errorBody,
  GatewayError: gatewayError,
  Health: health,
  Product: product,
  ProductPage: productPage,
  SearchPage: searchPage,
  Categories: categories,
  Stock: stock,
  StockPage: stockPage,
  Order: order,
  OrderAccepted: orderAccepted,
  OrderPage: orderPage,
  OrderEvents: orderEvents,
  OrderStatus: orderSagaStatus,
  Price: price,
  Payment: payment,
  Notification: notification,
  NotificationPage: notificationPage,
  Preferences: preferences,
};
