/**
 * Request schemas of the Orders API and of the saga's Orders tasks (validated in handlers). The
 * order body is the original's payload (`user_id`, `items` of `product_id`, `quantity`, optional
 * `price` in major units) plus an optional `payment_method`; it is strict, so an unknown field
 * is a 422 naming it.
 */
import { z } from 'zod';
import { RECORDED_EVENT_TYPES, type PaymentMethod } from './domain/events';

export const MAX_LINES = 50;
export const MAX_QUANTITY = 10_000;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** The simulator's approving test card: the payment method of an order placed without one. */
export const DEFAULT_PAYMENT_METHOD: PaymentMethod = Object.freeze({ card_number: '4242424242424242' });

export const productId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'letters, digits, and _ . : - only (like PROD-001)');

export const orderId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');

const userId = z.string().trim().min(1, 'user_id must not be empty').max(128, 'user_id must be at most 128 characters');

const line = z.strictObject({
  product_id: productId,
  quantity: z
    .number({ error: 'quantity must be a number' })
    .int('quantity must be a whole number')
    .min(1, 'quantity must be at least 1')
    .max(MAX_QUANTITY, `quantity must be at most ${MAX_QUANTITY}`),
  price: z.number({ error: 'price must be a number in major units, like 299.99' }).min(0, 'price must not be negative').optional(),
});

const card = z.strictObject({
  card_number: z
    .string()
    .transform((s) => s.replace(/[\s-]/g, ''))
    .pipe(z.string().regex(/^\d{12,19}$/, 'card_number must be 12 to 19 digits')),
  exp_month: z.number().int().min(1).max(12).optional(),
  exp_year: z.number().int().min(2000).max(2200).optional(),
  cvc: z.string().regex(/^\d{3,4}$/, 'cvc must be 3 or 4 digits').optional(),
  holder_name: z.string().max(128).optional(),
});

const token = z.strictObject({ token: z.string().min(1).max(256) });

export const paymentMethod = z.union([card, token], { error: 'payment_method must be {"card_number": "..."} or {"token": "..."}' });

export const placeOrderBody = z
  .strictObject({
    user_id: userId,
    items: z
      .array(line, { error: 'items must be a list of {product_id, quantity, price?}' })
      .min(1, 'an order needs at least one item')
      .max(MAX_LINES, `at most ${MAX_LINES} items per order`),
    payment_method: paymentMethod.optional(),
  })
  .superRefine((body, ctx) => {
    const seen = new Map<string, number>();
    body.items.forEach((item, i) => {
      const first = seen.get(item.product_id);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['items', i, 'product_id'], message: `${item.product_id} is already line ${first}; one line per product (add up the quantities)` });
      } else seen.set(item.product_id, i);
    });
  });

export type PlaceOrderBody = z.output<typeof placeOrderBody>;

export const orderPath = z.object({ id: orderId });

export const pricePath = z.object({ product_id: productId });

export const listQuery = z.object({
  user_id: userId,
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().max(2048).optional(),
});

export const LIST_QUERY_PARAMS = Object.keys(listQuery.shape);

// --- the saga's tasks (statemachines/README.md) ---

const taskBase = { order_id: orderId, correlation_id: z.string().max(256).optional() };

const stepFault = z.object({ step: z.string(), kind: z.string() }).nullable().optional();

/** `data` of each event the `record` action appends, as the state machine's ResultSelectors shape it. */
const recordedData = {
  InventoryReserved: z.object({ reservation_id: z.string().min(1), status: z.string().min(1) }),
  PaymentCaptured: z.object({
    payment_id: z.string().min(1),
    status: z.string().min(1),
    amount_minor: z.number().int().min(0).optional(),
    currency: z.string().optional(),
  }),
  InventoryCommitted: z.object({ reservation_id: z.string().optional(), status: z.string().min(1) }),
  SagaStepFailed: failureData(),
  PaymentRefunded: z.object({ payment_id: z.string().optional(), status: z.string().min(1) }),
  InventoryReleased: z.object({ reservation_id: z.string().optional(), status: z.string().min(1) }),
} as const;

/** A failure as the state machine catches it: `{step, Error, Cause}` (or lower case), normalized to `{step, error, cause}`. */
function failureData() {
  return z
    .object({
      step: z.string().min(1).max(64),
      Error: z.string().optional(),
      Cause: z.string().nullable().optional(),
      error: z.string().optional(),
      cause: z.string().nullable().optional(),
    })
    .transform((f) => ({ step: f.step, error: f.Error ?? f.error ?? 'Unknown', cause: (f.Cause ?? f.cause ?? '').slice(0, 4000) }));
}

export const recordTask = z
  .object({
    ...taskBase,
    event: z.object({ type: z.enum(RECORDED_EVENT_TYPES), data: z.unknown() }),
  })
  .transform((input, ctx) => {
    const parsed = recordedData[input.event.type].safeParse(input.event.data ?? {});
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: ['event', 'data', ...issue.path.map(String)], message: issue.message });
      return z.NEVER;
    }
    return { ...input, event: { type: input.event.type, data: parsed.data } };
  });

export const confirmTask = z.object({ ...taskBase, fault: stepFault });

/** `failure` carries the failed step (the state machine's shape); `failed_step` may name it apart. */
export const cancelTask = z
  .object({
    ...taskBase,
    failed_step: z.string().min(1).max(64).optional(),
    failure: z.object({
      step: z.string().min(1).max(64).optional(),
      Error: z.string().optional(),
      Cause: z.string().nullable().optional(),
      error: z.string().optional(),
      cause: z.string().nullable().optional(),
    }),
  })
  .transform((input) => ({
    order_id: input.order_id,
    correlation_id: input.correlation_id,
    failure: {
      step: input.failure.step ?? input.failed_step ?? 'unknown',
      error: input.failure.Error ?? input.failure.error ?? 'Unknown',
      cause: (input.failure.Cause ?? input.failure.cause ?? '').slice(0, 4000),
    },
  }));

/** Input of the reconciler when an operator invokes it (the schedule's event carries neither field). */
export const reconcileInput = z.object({
  /** reconcile orders placed more than this many seconds ago (default: the configured deadline) */
  older_than_seconds: z.number().int().min(0).max(30 * 24 * 3600).optional(),
  /** reconcile this one order now, whatever its age */
  order_id: orderId.optional(),
});
