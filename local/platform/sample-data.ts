/**
 * Loads the sample catalog through the API, as a user would, on the first start of a data
 * folder (an empty one, or `--fresh`), and again after a start that stopped before it finished
 * (creates are idempotent: 409 means the product is there). The first products go in before the
 * platform reports ready, so the first search finds something; the rest load in the background.
 * Their stock reaches Inventory through the catalog events. The sample customers' contact
 * preferences (sample-users.ts) are saved first, through the Notifications API.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../app-hooks';
import type { Endpoints } from '../endpoints';
import { SAMPLE_PRODUCTS } from './sample-products';
import { SAMPLE_USERS } from './sample-users';

const FIRST_BATCH = 24;
/** Few at a time at first: each concurrent create on a cold function is one more cold start on a small machine. */
const FIRST_CONCURRENCY = 2;
const CONCURRENCY = 4;
const SEARCHABLE_WITHIN_MS = 15_000;
const MARKER = 'sample-data.json';

/** Resolves once the first batch is searchable, with the background load of the rest. */
export async function loadSampleData(ctx: AppContext, signal: AbortSignal): Promise<{ background?: Promise<void> }> {
  const marker = path.join(ctx.config.dataDir, MARKER);
  if (existsSync(marker)) return {};
  const e = ctx.endpoints;
  const key = e.api_keys.internal ?? e.api_key;
  const users = ctx.progress.step('sample users');
  await loadSampleUsers(e, key, signal);
  users.done(`${SAMPLE_USERS.length} customers' contact preferences (user123: email, SMS and push)`);
  const step = ctx.progress.step('sample catalog');
  await createProducts(e, key, SAMPLE_PRODUCTS.slice(0, FIRST_BATCH), signal, FIRST_CONCURRENCY);
  // what the printed calls read: the search index, PROD-001's stock in Inventory, and its price in Orders
  await waitFor(`the first ${FIRST_BATCH} sample products to be searchable`, () => searchableCount(e, key).then((n) => n >= FIRST_BATCH));
  await waitFor(`${SAMPLE_PRODUCTS[0]!.product_id}'s stock to reach Inventory`, () => hasStock(e, key, SAMPLE_PRODUCTS[0]!.product_id));
  // the quick start's order: Orders prices it from its own projection of catalog events
  await waitFor(`${SAMPLE_PRODUCTS[0]!.product_id} to be orderable`, () => isOrderable(e, key, SAMPLE_PRODUCTS[0]!.product_id));
  step.done(`${FIRST_BATCH} products searchable; ${SAMPLE_PRODUCTS.length - FIRST_BATCH} more load in the background`);
  const background = createProducts(e, key, SAMPLE_PRODUCTS.slice(FIRST_BATCH), signal).then(
    () => {
      writeFileSync(marker, JSON.stringify({ products: SAMPLE_PRODUCTS.length, loaded_at: new Date().toISOString() }) + '\n');
      ctx.progress.note(`sample catalog loaded: ${SAMPLE_PRODUCTS.length} products`);
    },
    (err: Error) => {
      if (!signal.aborted) ctx.progress.note(`loading the sample catalog failed: ${err.message}`);
    },
  );
  return { background };
}

/** Saves the sample customers' contact preferences through the API (a PUT: loading them again changes nothing). */
export async function loadSampleUsers(e: Pick<Endpoints, 'api_url'>, key: string, signal?: AbortSignal): Promise<void> {
  for (const { user_id, ...preferences } of SAMPLE_USERS) {
    const res = await fetch(`${e.api_url}/api/notifications/preferences/${encodeURIComponent(user_id)}`, {
      method: 'PUT',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify(preferences),
      signal,
    });
    if (res.status !== 200 && res.status !== 201) throw new Error(`saving ${user_id}'s preferences: HTTP ${res.status} ${await res.text()}`);
  }
}

/** Creates products through the API, a few at a time; 409 means it is already there. */
async function createProducts(e: Endpoints, key: string, products: ReadonlyArray<{ product_id: string }>, signal: AbortSignal, concurrency = CONCURRENCY): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < products.length && !signal.aborted) {
      const product = products[next++]!;
      const res = await fetch(`${e.api_url}/api/catalog`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: JSON.stringify(product),
        signal,
      });
      if (res.status !== 201 && res.status !== 200 && res.status !== 409) {
        throw new Error(`creating ${product.product_id}: HTTP ${res.status} ${await res.text()}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function searchableCount(e: Endpoints, key: string): Promise<number> {
  const res = await fetch(`${e.api_url}/api/catalog?limit=1`, { headers: { 'x-api-key': key } });
  return res.status === 200 ? (((await res.json()) as { total?: number }).total ?? 0) : 0;
}

async function hasStock(e: Endpoints, key: string, productId: string): Promise<boolean> {
  return (await fetch(`${e.api_url}/api/inventory/${productId}`, { headers: { 'x-api-key': key } })).status === 200;
}

async function isOrderable(e: Endpoints, key: string, productId: string): Promise<boolean> {
  return (await fetch(`${e.api_url}/api/orders/prices/${productId}`, { headers: { 'x-api-key': key } })).status === 200;
}

async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + SEARCHABLE_WITHIN_MS;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`${what} took over ${SEARCHABLE_WITHIN_MS / 1000}s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
