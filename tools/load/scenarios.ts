/**
 * The scenarios' request mixes. Each request is drawn from the run's own products and users, so
 * that the invariants at the end look at what this run did and nothing else.
 */
import type { HttpRequest } from './http';

export const SCENARIOS = ['orders', 'catalog-reads', 'search', 'mixed'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface Product {
  product_id: string;
  name: string;
  start_stock: number;
}

export interface Fixture {
  run_id: string;
  category: string;
  products: Product[];
  users: string[];
  /** units every restock of a mixed run adds */
  restock_quantity: number;
}

/** The simulator's test cards and how often the load uses each: mostly approvals, some declines (the saga's compensations). */
export const CARDS: Array<{ number: string; weight: number }> = [
  { number: '4242424242424242', weight: 90 },
  { number: '4000000000000002', weight: 5 },
  { number: '4000000000009995', weight: 5 },
];

export type Kind = 'order' | 'restock' | 'read';

export interface Planned {
  /** the op label in the report */
  op: string;
  kind: Kind;
  request: Omit<HttpRequest, 'url'> & { path: string };
  /** the product a restock adds to */
  product_id?: string;
}

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const weighted = <T extends { weight: number }>(rng: Rng, xs: readonly T[]): T => {
  let r = rng() * xs.reduce((a, x) => a + x.weight, 0);
  for (const x of xs) if ((r -= x.weight) < 0) return x;
  return xs[xs.length - 1]!;
};

/** A seeded generator (mulberry32), so a run's sequence of requests can be repeated. */
export function seeded(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const get = (op: string, path: string): Planned => ({ op, kind: 'read', request: { method: 'GET', path } });

function order(rng: Rng, f: Fixture, seq: number): Planned {
  const lines = 1 + Math.floor(rng() * 2);
  const chosen = new Set<string>();
  while (chosen.size < Math.min(lines, f.products.length)) chosen.add(pick(rng, f.products).product_id);
  const body = {
    user_id: pick(rng, f.users),
    items: [...chosen].map((product_id) => ({ product_id, quantity: 1 + Math.floor(rng() * 3) })),
    payment_method: { card_number: weighted(rng, CARDS).number, exp_month: 12, exp_year: 2030, cvc: '123' },
  };
  return {
    op: 'POST /api/orders',
    kind: 'order',
    request: { method: 'POST', path: '/api/orders', body: JSON.stringify(body), headers: { 'content-type': 'application/json', 'idempotency-key': `${f.run_id}-${seq}` } },
  };
}

function catalogRead(rng: Rng, f: Fixture): Planned {
  const r = rng();
  if (r < 0.4) return get('GET /api/catalog/{id}', `/api/catalog/${encodeURIComponent(pick(rng, f.products).product_id)}`);
  if (r < 0.7) return get('GET /api/catalog', `/api/catalog?category=${encodeURIComponent(f.category)}&limit=20&sort=${pick(rng, ['price_asc', 'newest', 'popularity'])}`);
  if (r < 0.85) return get('GET /api/catalog/featured/list', '/api/catalog/featured/list');
  return get('GET /api/catalog/meta/categories', '/api/catalog/meta/categories');
}

const WORDS = ['widget', 'gadget', 'lamp', 'kettle', 'speaker', 'backpack', 'blender', 'headphones'];
const TYPOS = ['widgt', 'gadgte', 'kettel', 'speakr', 'backpak', 'blendr'];

function search(rng: Rng): Planned {
  const term = rng() < 0.8 ? pick(rng, WORDS) : pick(rng, TYPOS);
  return get('GET /api/catalog/search/{query}', `/api/catalog/search/${encodeURIComponent(term)}`);
}

function restock(rng: Rng, f: Fixture): Planned {
  const p = pick(rng, f.products);
  return {
    op: 'POST /api/inventory/{id}/restock',
    kind: 'restock',
    product_id: p.product_id,
    request: {
      method: 'POST',
      path: `/api/inventory/${encodeURIComponent(p.product_id)}/restock`,
      body: JSON.stringify({ quantity: f.restock_quantity, reason: `load ${f.run_id}` }),
      headers: { 'content-type': 'application/json' },
    },
  };
}

/** The next request of a scenario. */
export function nextRequest(scenario: Scenario, rng: Rng, f: Fixture, seq: number): Planned {
  switch (scenario) {
    case 'orders':
      return order(rng, f, seq);
    case 'catalog-reads':
      return catalogRead(rng, f);
    case 'search':
      return search(rng);
    case 'mixed': {
      const r = rng();
      if (r < 0.35) return catalogRead(rng, f);
      if (r < 0.55) return search(rng);
      if (r < 0.8) return order(rng, f, seq);
      if (r < 0.95) return get('GET /api/inventory/{id}', `/api/inventory/${encodeURIComponent(pick(rng, f.products).product_id)}`);
      return restock(rng, f);
    }
  }
}

/** Share of a scenario's requests that are orders (to size the stock so that some products sell out). */
export const ORDER_SHARE: Record<Scenario, number> = { orders: 1, 'catalog-reads': 0, search: 0, mixed: 0.25 };
/** Mean units an order asks for: 1.5 lines of 2 units. */
export const UNITS_PER_ORDER = 3;

/** The product names: searchable words, the run id so runs stay apart. */
export function productNames(runId: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `Load ${WORDS[i % WORDS.length]} ${runId} ${i + 1}`);
}
