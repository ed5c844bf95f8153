/**
 * What the catalog takes from other services' events, read leniently (they are other services'
 * contracts; what does not fit is ignored, not retried forever):
 * - Inventory (`inventory-events`, types `inventory.stock.*`): a stock record
 *   `{ product_id, available, version? }`, or a list of them under `items` or `stock`. The
 *   product's stock becomes `available`; `version` (the stock record's) orders the reports.
 * - Orders (`order-events`, type `order.confirmed`): `items[]` of `{ product_id, quantity }`;
 *   each product's popularity grows by the units sold (lines of one product are summed).
 */
import { z } from 'zod';
import type { EventEnvelope } from '../../shared/events/envelope';

export interface StockSignal {
  productId: string;
  available: number;
  stockVersion?: number;
}

export interface PopularitySignal {
  productId: string;
  quantity: number;
}

const productId = z.string().min(1).max(128);

const stockRecord = z.object({
  product_id: productId,
  available: z.number().int().min(0),
  version: z.number().int().min(0).optional(),
});

const stockData = z.union([
  stockRecord,
  z.object({ items: z.array(stockRecord) }),
  z.object({ stock: z.array(stockRecord) }),
]);

const orderLine = z.object({ product_id: productId, quantity: z.number().int().min(1).max(1_000_000) });
const orderData = z.object({ items: z.array(orderLine).min(1) });

export const INVENTORY_STOCK_PREFIX = 'inventory.stock.';
export const ORDER_CONFIRMED = 'order.confirmed';

/**
 * The events the signals consumer takes, per topic (its mappings' filter criteria): Inventory's
 * stock levels, and confirmed orders. The rest of both topics (two thirds of the inventory events
 * and half of the order events an order makes) never reach it. The reader above stays lenient
 * for what does reach it.
 */
export const SIGNAL_EVENT_TYPES = {
  // Inventory announces levels (product_id, available, version) in these two; its other
  // `inventory.stock.*` and `inventory.reservation.*` events carry quantities, not levels
  inventory: ['inventory.stock.changed', 'inventory.stock.low'],
  orders: [ORDER_CONFIRMED],
};

/**
 * What a stock level event reports on (its product) and the level's version, for handling only
 * the newest of a batch: a level replaces the ones before (the catalog keeps the newest version),
 * so the older levels of a product in one batch change nothing the newest does not. Undefined for
 * every other event.
 */
export function stockLevelKey(event: EventEnvelope): { key: string; version: number } | undefined {
  if (!SIGNAL_EVENT_TYPES.inventory.includes(event.type)) return undefined;
  const parsed = stockRecord.safeParse(event.data);
  // a level without a version cannot be ordered against the others: handled as it comes
  return parsed.success && parsed.data.version !== undefined ? { key: `stock:${parsed.data.product_id}`, version: parsed.data.version } : undefined;
}

/** Stock reports in an inventory event; [] when the event carries none. */
export function stockSignals(event: EventEnvelope): StockSignal[] {
  if (!event.type.startsWith(INVENTORY_STOCK_PREFIX)) return [];
  const parsed = stockData.safeParse(event.data);
  if (!parsed.success) return [];
  const d = parsed.data;
  const records = 'items' in d ? d.items : 'stock' in d ? d.stock : [d];
  // the last report of a product in one event wins
  const byProduct = new Map<string, StockSignal>();
  for (const r of records) byProduct.set(r.product_id, { productId: r.product_id, available: r.available, stockVersion: r.version });
  return [...byProduct.values()];
}

/** Units sold per product in a confirmed order; [] for any other event. */
export function popularitySignals(event: EventEnvelope): PopularitySignal[] {
  if (event.type !== ORDER_CONFIRMED) return [];
  const parsed = orderData.safeParse(event.data);
  if (!parsed.success) return [];
  const sums = new Map<string, number>();
  for (const line of parsed.data.items) sums.set(line.product_id, (sums.get(line.product_id) ?? 0) + line.quantity);
  return [...sums].map(([productId, quantity]) => ({ productId, quantity }));
}
