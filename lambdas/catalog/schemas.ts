/**
 * Request schemas of the catalog API (validated in handlers; the same zod schemas can feed the
 * OpenAPI document). Bodies are strict: an unknown or read-only field is a 422 naming it.
 */
import { z } from 'zod';
import { DEFAULT_CURRENCY, isSupportedCurrency } from '../shared/money';
import { priceIssues } from './domain/price';
import { LIMITS } from './domain/product';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SORT_ORDERS } from './domain/query';

/** Words that are routes under /api/catalog and so cannot be product ids. */
const RESERVED_IDS = new Set(['health', 'search', 'featured', 'meta']);

export const productId = z
  .string()
  .min(2)
  .max(LIMITS.productId)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'letters, digits, _ and - only, starting with a letter or digit (like PROD-001)')
  .refine((id) => !RESERVED_IDS.has(id.toLowerCase()), 'is a reserved word');

/** C0 controls and DEL; a line break or tab is allowed only where text has lines (the description). */
const CONTROL = /[\u0000-\u001f\u007f]/;
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** Half of a UTF-16 surrogate pair without its other half: not a character, and not valid UTF-8 when stored. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const text = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} must not be empty`)
    .max(max, `${what} must be at most ${max} characters`)
    .refine((s) => !CONTROL.test(s), `${what} must not contain control characters`)
    .refine((s) => !LONE_SURROGATE.test(s), `${what} must not contain an unpaired surrogate`);

const currency = z
  .string()
  .transform((c) => c.trim().toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD').refine(isSupportedCurrency, 'currency is not supported'));

const tags = z
  .array(text(LIMITS.tag, 'a tag'))
  .max(LIMITS.tags, `at most ${LIMITS.tags} tags`)
  .transform((list) => {
    const seen = new Set<string>();
    return list.filter((t) => (seen.has(t.toLowerCase()) ? false : (seen.add(t.toLowerCase()), true)));
  });

const images = z
  .array(z.httpUrl('an http(s) URL').max(LIMITS.imageUrl, `URLs of at most ${LIMITS.imageUrl} characters`))
  .max(LIMITS.images, `at most ${LIMITS.images} images`);

const attributes = z
  .record(
    z.string().min(1).max(LIMITS.attributeKey, `attribute names of at most ${LIMITS.attributeKey} characters`),
    z.string().max(LIMITS.attributeValue, `attribute values of at most ${LIMITS.attributeValue} characters`),
  )
  .refine((a) => Object.keys(a).length <= LIMITS.attributes, `at most ${LIMITS.attributes} attributes`);

const price = z.number().min(0, 'price must not be negative');
const priceMinor = z.number().int('price_minor must be an integer').min(0, 'price_minor must not be negative');

const description = z
  .string()
  .trim()
  .max(LIMITS.description, `description must be at most ${LIMITS.description} characters`)
  .refine((s) => !CONTROL_BUT_LINES.test(s), 'description must not contain control characters other than line breaks and tabs')
  .refine((s) => !LONE_SURROGATE.test(s), 'description must not contain an unpaired surrogate');

/** The money checks that need the currency (decimals, agreement of both forms); a negative price is already reported by its field. */
function addPriceIssues(v: { price?: number; price_minor?: number }, cur: string, required: boolean, ctx: z.RefinementCtx) {
  const sent = v.price !== undefined || v.price_minor !== undefined;
  const valid = { price: v.price !== undefined && v.price >= 0 ? v.price : undefined, price_minor: v.price_minor !== undefined && v.price_minor >= 0 ? v.price_minor : undefined };
  for (const d of priceIssues(valid, cur, required && !sent)) ctx.addIssue({ code: 'custom', path: d.field ? [d.field] : [], message: d.message });
}

export const createBody = z
  .strictObject({
    product_id: productId.optional(),
    name: text(LIMITS.name, 'name'),
    description: description.default(''),
    price: price.optional(),
    price_minor: priceMinor.optional(),
    currency: currency.default(DEFAULT_CURRENCY),
    category: text(LIMITS.category, 'category'),
    brand: text(LIMITS.brand, 'brand').optional(),
    stock: z.number().int('stock must be an integer').min(0, 'stock must not be negative').max(LIMITS.stock).default(0),
    tags: tags.default([]),
    images: images.default([]),
    attributes: attributes.default({}),
    featured: z.boolean().default(false),
  })
  .superRefine((v, ctx) => addPriceIssues(v, v.currency, true, ctx));

export type CreateBody = z.output<typeof createBody>;

const readOnly = (field: string, hint: string) => z.never({ error: `${field} is read-only: ${hint}` }).optional();

export const updateBody = z
  .strictObject({
    version: z.number().int().min(1).optional(),
    name: text(LIMITS.name, 'name').optional(),
    description: description.optional(),
    price: price.optional(),
    price_minor: priceMinor.optional(),
    currency: currency.optional(),
    category: text(LIMITS.category, 'category').optional(),
    brand: text(LIMITS.brand, 'brand').optional(),
    tags: tags.optional(),
    images: images.optional(),
    attributes: attributes.optional(),
    featured: z.boolean().optional(),
    stock: readOnly('stock', 'Inventory owns stock; use POST /api/inventory/{product_id}/restock'),
    product_id: readOnly('product_id', 'it is the path'),
    in_stock: readOnly('in_stock', 'it follows stock'),
    popularity: readOnly('popularity', 'it follows confirmed orders'),
    created_at: readOnly('created_at', 'set by the service'),
    updated_at: readOnly('updated_at', 'set by the service'),
  })
  .superRefine((v, ctx) => {
    const { version: _v, ...changes } = v;
    if (Object.values(changes).every((x) => x === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'nothing to update: send at least one field to change' });
    }
    if (v.currency !== undefined && v.price === undefined && v.price_minor === undefined) {
      ctx.addIssue({ code: 'custom', path: ['currency'], message: 'changing the currency needs the price in that currency (price or price_minor)' });
    }
  });

export type UpdateBody = z.output<typeof updateBody>;

export const deleteBody = z.strictObject({ version: z.number().int().min(1).optional() });

export const productPath = z.object({ id: productId });

const decimal = (field: string) =>
  z
    .string()
    .regex(/^\d{1,10}(\.\d{1,3})?$/, `${field} must be a non-negative decimal in major units, like 49.99`)
    .transform(Number);

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

const filterText = (max: number) => z.string().trim().min(1).max(max);

const pageParams = {
  category: filterText(LIMITS.category).optional(),
  brand: filterText(LIMITS.brand).optional(),
  currency: currency.optional(),
  min_price: decimal('min_price').optional(),
  max_price: decimal('max_price').optional(),
  in_stock: flag.optional(),
  featured: flag.optional(),
  sort: z.enum(SORT_ORDERS).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().max(2048).optional(),
  facets: flag.optional(),
};

const priceOrder = (q: { min_price?: number; max_price?: number }, ctx: z.RefinementCtx) => {
  if (q.min_price !== undefined && q.max_price !== undefined && q.min_price > q.max_price) {
    ctx.addIssue({ code: 'custom', path: ['min_price'], message: 'min_price is above max_price' });
  }
};

/** Query parameters of GET /api/catalog (unknown parameters are ignored, as caches and trackers add some). */
export const listQuery = z.object(pageParams).superRefine(priceOrder);
export type ListQueryParams = z.output<typeof listQuery>;

export const searchPath = z.object({
  query: z
    .string()
    .trim()
    .min(1, 'the search text is empty')
    .max(200, 'the search text must be at most 200 characters')
    .refine((q) => /[\p{L}\p{N}]/u.test(q), 'the search text has no letter or digit to search for'),
});

export const featuredQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(12),
  cursor: z.string().max(2048).optional(),
  category: filterText(LIMITS.category).optional(),
});

/** The names of the query parameters, for the API routes. */
export const LIST_QUERY_PARAMS = Object.keys(pageParams);
export const FEATURED_QUERY_PARAMS = Object.keys(featuredQuery.shape);
