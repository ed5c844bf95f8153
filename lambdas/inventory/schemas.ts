/** Request schemas of the inventory API and saga tasks (validated in handlers, reused by the OpenAPI document). */
import { z } from 'zod';
import { MAX_LINES, MAX_QUANTITY } from './domain/stock';

export const productId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'letters, digits, and _ . : - only');

export const productPath = z.object({ product_id: productId });

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});

export const restockBody = z.strictObject({
  quantity: z.number().int().min(1).max(MAX_QUANTITY),
  reason: z.string().max(256).optional(),
});

/** An order line as the saga passes it; other fields of the line (price, …) are ignored here. */
const line = z.object({ product_id: productId, quantity: z.number().int().min(1).max(MAX_QUANTITY) });

/** Input of the reserve task (the saga passes the order). */
export const reserveTask = z.object({
  order_id: z.string().min(1).max(128),
  items: z.array(line).min(1).max(MAX_LINES * 4),
});

/** Input of the release and commit tasks. */
export const reservationTask = z.object({ order_id: z.string().min(1).max(128) });
