/**
 * What the order end-to-end tests of notifications and observability share: `user123` as a
 * fresh start saves it, products in stock, and orders placed through the API and followed to
 * their end.
 */
import { loadSampleUsers } from '../../local/platform/sample-data';
import { call, endpoints } from './local-cloud';
import type { Customer } from './notifications';
import { orderReaches } from './orders';
import { eventually } from './poll';

export const DECLINED_CARD = '4000000000000002';

/** `user123` (local/platform/sample-users.ts), saved through the API as a fresh start saves it, with the push endpoint its preferences got. */
export async function user123(): Promise<Customer> {
  await loadSampleUsers(endpoints(), endpoints().api_keys.internal!);
  const res = await call('/api/notifications/preferences/user123');
  if (res.status !== 200) throw new Error(`reading user123's preferences: ${res.status} ${JSON.stringify(res.body)}`);
  const { email, phone, push_token, push_endpoint_arn } = res.body;
  return { user_id: 'user123', email, phone, push_token, push_endpoint_arn };
}

/** Waits until Inventory holds the product with `available` units (its catalog event reached the stock). */
export async function inStock(productId: string, available: number, timeoutMs = 30_000) {
  return eventually(
    `${productId} to have ${available} available in Inventory`,
    async () => {
      const res = await call(`/api/inventory/${encodeURIComponent(productId)}`);
      return res.status === 200 && res.body.available === available ? res.body : undefined;
    },
    { timeoutMs, intervalMs: 100 },
  );
}

export interface PlacedOrder {
  order_id: string;
  saga_id: string;
  status: string;
  total_minor: number;
  currency: string;
  trace_id: string;
  [field: string]: unknown;
}

/**
 * POST /api/orders for `user123` (unless the body names another user), then waits for one of
 * `ends`; resolves the order as read at its end, with the trace id API Gateway answered.
 */
export async function placeOrder(body: Record<string, unknown>, ends: string[] = ['COMPLETED', 'CANCELLED'], timeoutMs = 60_000): Promise<PlacedOrder> {
  const res = await call('/api/orders', { body: { user_id: 'user123', ...body } });
  if (res.status !== 202) throw new Error(`placing an order: ${res.status} ${JSON.stringify(res.body)}`);
  const trace_id = /Root=(1-[0-9a-f]{8}-[0-9a-f]{24})/.exec(res.headers.get('x-amzn-trace-id') ?? '')?.[1] ?? '';
  const ended = await orderReaches(res.body.order_id, ends, timeoutMs);
  return { ...ended, order_id: res.body.order_id, saga_id: res.body.saga_id, trace_id };
}
