/**
 * Pricing an order: its lines priced from the catalog prices Orders holds, pure.
 *
 * Where prices come from: Orders keeps its own projection of the catalog's events (`orderPrices`,
 * fed by a consumer of `catalog-events`, ./prices.ts) rather than calling the catalog when an
 * order is placed. The order path then depends on no other service being up or fast (the
 * catalog's query side is OpenSearch and a cache, its write side another team's table), reads
 * one small table in one BatchGetItem, and knows the price revision it charged. The cost is
 * that a product is orderable a moment after it is created (its event must arrive), and a
 * repricing takes effect for orders a moment after the catalog answered it; the 409 below
 * carries the price Orders holds, so a client always learns what it will be charged.
 *
 * Rules, in the order they are checked:
 * 1. every product is known and not deleted, else 422 naming `items.<i>.product_id`;
 * 2. every product is priced in one currency, else 422 naming `items`;
 * 3. a client `price` (major units, the original's payload) is a valid amount, else 422 naming
 *    `items.<i>.price`, and is the current price, else 409 with the current price of each such
 *    line in `details`.
 */
import { MoneyError, ValidationError, type ErrorDetail } from '../../shared/errors';
import { toMajor, toMinor } from '../../shared/money';
import { PriceChangedError } from './errors';
import type { OrderLine } from './events';

export interface PriceEntry {
  productId: string;
  name: string;
  priceMinor: number;
  currency: string;
  /** the catalog's revision of the product this price is from */
  version: number;
  deleted: boolean;
  updatedAt: string;
}

export interface RequestedLine {
  product_id: string;
  quantity: number;
  /** what the client believes the unit price is, in major units */
  price?: number;
}

export interface PricedOrder {
  lines: OrderLine[];
  totalMinor: number;
  currency: string;
}

export function priceOrder(requested: ReadonlyArray<RequestedLine>, prices: ReadonlyMap<string, PriceEntry>): PricedOrder {
  const unknown: ErrorDetail[] = [];
  requested.forEach((line, i) => {
    const p = prices.get(line.product_id);
    if (!p || p.deleted) unknown.push({ field: `items.${i}.product_id`, message: `unknown product ${line.product_id}`, product_id: line.product_id });
  });
  if (unknown.length) throw new ValidationError('some products are not in the catalog', unknown);

  const entries = requested.map((line) => prices.get(line.product_id)!);
  const currencies = [...new Set(entries.map((p) => p.currency))];
  if (currencies.length > 1) {
    throw new ValidationError('an order is paid in one currency', [
      { field: 'items', message: `the products are priced in ${currencies.join(', ')}; place one order per currency` },
    ]);
  }
  const currency = currencies[0]!;

  const badAmounts: ErrorDetail[] = [];
  const changed: ErrorDetail[] = [];
  requested.forEach((line, i) => {
    if (line.price === undefined) return;
    const p = entries[i]!;
    let sent: number;
    try {
      sent = toMinor(line.price, currency);
    } catch (err) {
      if (!(err instanceof MoneyError)) throw err;
      badAmounts.push({ field: `items.${i}.price`, message: err.message });
      return;
    }
    if (sent !== p.priceMinor) {
      changed.push({
        field: `items.${i}.price`,
        message: `the current price of ${p.productId} is ${toMajor(p.priceMinor, currency)} ${currency}, not ${line.price}`,
        product_id: p.productId,
        price: toMajor(p.priceMinor, currency),
        price_minor: p.priceMinor,
        currency,
        price_version: p.version,
      });
    }
  });
  if (badAmounts.length) throw new ValidationError('some prices are not valid amounts', badAmounts);
  if (changed.length) throw new PriceChangedError(changed);

  const lines: OrderLine[] = requested.map((line, i) => {
    const p = entries[i]!;
    return {
      product_id: p.productId,
      name: p.name,
      quantity: line.quantity,
      unit_price_minor: p.priceMinor,
      line_total_minor: p.priceMinor * line.quantity,
      price_version: p.version,
    };
  });
  const totalMinor = lines.reduce((sum, l) => sum + l.line_total_minor, 0);
  if (!Number.isSafeInteger(totalMinor)) {
    throw new ValidationError('the order total is too large', [{ field: 'items', message: 'the total exceeds what one order can charge' }]);
  }
  return { lines, totalMinor, currency };
}
