/** What the Orders tests share: products the orders can be placed for, and reading an order's state. */
import { call, uniqueId } from './local-cloud';
import { eventually } from './poll';

/** Creates a product in the catalog (through the API) and waits until Orders can price it. */
export async function orderableProduct(fields: { product_id?: string; price?: number; stock?: number; name?: string } = {}) {
  const productId = fields.product_id ?? uniqueId('ORD');
  const res = await call('/api/catalog', {
    body: { product_id: productId, name: fields.name ?? `Order test product ${productId}`, price: fields.price ?? 12.5, category: 'Testing', stock: fields.stock ?? 100 },
  });
  if (res.status !== 201 && res.status !== 409) throw new Error(`creating ${productId}: ${res.status} ${JSON.stringify(res.body)}`);
  await orderable(productId);
  return productId;
}

/** Waits until Orders' price list holds the product (its catalog event reached the projection). */
export async function orderable(productId: string, timeoutMs = 20_000) {
  return eventually(
    `${productId} to be orderable`,
    async () => {
      const res = await call(`/api/orders/prices/${encodeURIComponent(productId)}`);
      return res.status === 200 ? res.body : undefined;
    },
    { timeoutMs },
  );
}

/** Waits until the order reaches one of `statuses`. */
export async function orderReaches(orderId: string, statuses: string[], timeoutMs = 30_000) {
  return eventually(
    `order ${orderId} to reach ${statuses.join(' or ')}`,
    async () => {
      const res = await call(`/api/orders/${orderId}`);
      return res.status === 200 && statuses.includes(res.body.status) ? res.body : undefined;
    },
    { timeoutMs, intervalMs: 100 },
  );
}
