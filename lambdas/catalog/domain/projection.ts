/**
 * What the search projection does with a catalog event, decided without touching the index:
 * - created / updated / stock / popularity: index the product as the event carries it, routed
 *   by its category, with its revision as the external version (an older event is refused by
 *   the index itself: "stale", which is success for the projection);
 * - updated with a new category: the document also leaves the old category's routing (a
 *   versioned delete there, after the new copy is written so the product never vanishes);
 * - deleted: a versioned delete at the category's routing.
 * Events of other types, or whose data is not a product, are not the projection's business.
 */
import { z } from 'zod';
import type { EventEnvelope } from '../../shared/events/envelope';
import { MalformedEventError } from './errors';
import { CATALOG_EVENTS } from './events';
import type { IndexAction, SearchDocument } from './ports';

const productData = z.object({
  product_id: z.string().min(1),
  name: z.string(),
  description: z.string(),
  price: z.number(),
  price_minor: z.number().int(),
  currency: z.string(),
  category: z.string().min(1),
  brand: z.string().nullable(),
  stock: z.number().int(),
  in_stock: z.boolean(),
  tags: z.array(z.string()),
  images: z.array(z.string()),
  attributes: z.record(z.string(), z.string()),
  featured: z.boolean(),
  popularity: z.number().int(),
  version: z.number().int().min(1),
  revision: z.number().int().min(1),
  created_at: z.string(),
  updated_at: z.string(),
  previous_category: z.string().min(1).optional(),
  deleted: z.literal(true).optional(),
});

export interface ProjectionPlan {
  productId: string;
  revision: number;
  actions: IndexAction[];
}

const UPSERTS = new Set<string>([CATALOG_EVENTS.created, CATALOG_EVENTS.updated, CATALOG_EVENTS.stockChanged, CATALOG_EVENTS.popularityChanged]);

/** The search document of a product as an event carries it. */
export function searchDocument(data: z.output<typeof productData>): SearchDocument {
  return {
    product_id: data.product_id,
    name: data.name,
    description: data.description,
    price: data.price,
    price_minor: data.price_minor,
    currency: data.currency,
    category: data.category,
    brand: data.brand,
    stock: data.stock,
    in_stock: data.stock > 0,
    tags: data.tags,
    images: data.images,
    attributes: data.attributes,
    featured: data.featured,
    popularity: data.popularity,
    version: data.version,
    revision: data.revision,
    created_at: data.created_at,
    updated_at: data.updated_at,
  };
}

/** The index writes an event calls for, or null when the event is not the projection's. */
export function planProjection(event: EventEnvelope): ProjectionPlan | null {
  const deleting = event.type === CATALOG_EVENTS.deleted;
  if (!deleting && !UPSERTS.has(event.type)) return null;
  const parsed = productData.safeParse(event.data);
  if (!parsed.success) {
    throw new MalformedEventError(event.id, event.type, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const data = parsed.data;
  const base = { productId: data.product_id, version: data.revision };
  if (deleting) {
    return { productId: data.product_id, revision: data.revision, actions: [{ kind: 'delete', ...base, routing: data.category }] };
  }
  const actions: IndexAction[] = [{ kind: 'index', ...base, routing: data.category, document: searchDocument(data) }];
  if (data.previous_category && data.previous_category !== data.category) {
    actions.push({ kind: 'delete', ...base, routing: data.previous_category });
  }
  return { productId: data.product_id, revision: data.revision, actions };
}
