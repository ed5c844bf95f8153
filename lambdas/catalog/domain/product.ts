/**
 * The product aggregate and its rules, pure: creation, partial update under optimistic
 * concurrency, deletion (a tombstone that keeps the revision counter), and the changes that
 * arrive from other services (stock from Inventory, popularity from confirmed orders).
 *
 * Two counters:
 * - `version` moves on every command (create, update, delete); it is what clients send back
 *   (body `version` or If-Match) and what a stale PUT is refused on;
 * - `revision` moves on every change, commands and signals alike. It orders everything the
 *   read side sees: the search index stores it as the document's external version.
 * A stock change therefore never makes a client's PUT stale, and the index can still tell an
 * old snapshot from a new one.
 */
import { VersionConflictError } from './errors';
import { toMajor } from '../../shared/money';

export const LIMITS = Object.freeze({
  productId: 64,
  name: 200,
  description: 5_000,
  category: 64,
  brand: 64,
  tags: 20,
  tag: 40,
  images: 10,
  imageUrl: 2_048,
  attributes: 50,
  attributeKey: 64,
  attributeValue: 500,
  stock: 1_000_000,
});

export interface Product {
  productId: string;
  name: string;
  description: string;
  priceMinor: number;
  currency: string;
  category: string;
  brand?: string;
  /** units in stock as last heard (the creation stock, then Inventory's `available`) */
  stock: number;
  /** Inventory's version of the stock record last applied; 0 = the creation stock */
  stockVersion: number;
  tags: string[];
  images: string[];
  attributes: Record<string, string>;
  featured: boolean;
  /** units sold in confirmed orders */
  popularity: number;
  version: number;
  revision: number;
  createdAt: string;
  updatedAt: string;
  deleted: boolean;
  deletedAt?: string;
}

/** A validated, normalized create request. */
export interface ProductDraft {
  name: string;
  description: string;
  priceMinor: number;
  currency: string;
  category: string;
  brand?: string;
  stock: number;
  tags: string[];
  images: string[];
  attributes: Record<string, string>;
  featured: boolean;
}

/** Fields a PUT may change (stock belongs to Inventory). */
export type ProductPatch = Partial<Omit<ProductDraft, 'stock'>>;
export type PatchField = keyof ProductPatch;

const PATCH_FIELDS: PatchField[] = ['name', 'description', 'priceMinor', 'currency', 'category', 'brand', 'tags', 'images', 'attributes', 'featured'];

/**
 * A new product at version 1. Re-creating a deleted product id continues from the tombstone's
 * revision, so the index (which remembers deletions by version) accepts the new document.
 */
export function newProduct(productId: string, draft: ProductDraft, at: string, tombstone?: Product): Product {
  return {
    productId,
    ...draft,
    stockVersion: 0,
    popularity: 0,
    version: 1,
    revision: (tombstone?.revision ?? 0) + 1,
    createdAt: at,
    updatedAt: at,
    deleted: false,
  };
}

export function checkVersion(current: Product, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && expectedVersion !== current.version) {
    throw new VersionConflictError(current.productId, expectedVersion, current.version);
  }
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Applies a partial update. Fields absent from the patch keep their value; a patch that
 * changes nothing leaves the product as it is (no new version, no event).
 */
export function applyPatch(current: Product, patch: ProductPatch, expectedVersion: number, at: string): { product: Product; changed: PatchField[] } {
  checkVersion(current, expectedVersion);
  const changed = PATCH_FIELDS.filter((f) => patch[f] !== undefined && !same(patch[f], current[f]));
  if (changed.length === 0) return { product: current, changed };
  const next: Product = { ...current, version: current.version + 1, revision: current.revision + 1, updatedAt: at };
  for (const f of changed) (next as unknown as Record<string, unknown>)[f] = patch[f];
  return { product: next, changed };
}

/** The tombstone that replaces a deleted product. */
export function deleteProduct(current: Product, expectedVersion: number | undefined, at: string): Product {
  checkVersion(current, expectedVersion);
  return { ...current, version: current.version + 1, revision: current.revision + 1, updatedAt: at, deleted: true, deletedAt: at };
}

/**
 * Stock as Inventory reports it. `stockVersion` (Inventory's record version) orders reports:
 * an older or equal one is ignored; without one the report always applies. Returns undefined
 * when nothing a reader would see changes (the same stock again is not worth a new revision).
 */
export function applyStock(current: Product, available: number, stockVersion: number | undefined, at: string): Product | undefined {
  if (stockVersion !== undefined && stockVersion <= current.stockVersion) return undefined;
  const stock = Math.max(0, Math.trunc(available));
  if (stock === current.stock) return undefined; // nothing a reader would see changes
  return { ...current, stock, stockVersion: stockVersion ?? current.stockVersion, revision: current.revision + 1, updatedAt: at };
}

/** Units sold in a confirmed order raise the product's popularity. */
export function addPopularity(current: Product, quantity: number, at: string): Product {
  return { ...current, popularity: current.popularity + quantity, revision: current.revision + 1, updatedAt: at };
}

/** The public (snake_case) view of a product, as the API answers and the events carry. */
export interface ProductView {
  product_id: string;
  name: string;
  description: string;
  price: number;
  price_minor: number;
  currency: string;
  category: string;
  brand: string | null;
  stock: number;
  in_stock: boolean;
  tags: string[];
  images: string[];
  attributes: Record<string, string>;
  featured: boolean;
  popularity: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export function productView(p: Product): ProductView {
  return {
    product_id: p.productId,
    name: p.name,
    description: p.description,
    price: toMajor(p.priceMinor, p.currency),
    price_minor: p.priceMinor,
    currency: p.currency,
    category: p.category,
    brand: p.brand ?? null,
    stock: p.stock,
    in_stock: p.stock > 0,
    tags: p.tags,
    images: p.images,
    attributes: p.attributes,
    featured: p.featured,
    popularity: p.popularity,
    version: p.version,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}
