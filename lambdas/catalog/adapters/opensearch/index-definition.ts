/**
 * The `products` index: explicit mappings and its settings.
 * - text fields that are also sorted or faceted on (name, brand, category, tags) carry a
 *   `.keyword` sub-field; ids, codes and flags are keywords or booleans; money and counts are
 *   numbers; timestamps are dates; images and attributes are kept in _source only;
 * - `dynamic: strict`: a field the mapping does not name is an error, not a guess;
 * - documents are routed by category (`_routing` required), the original's "sharded by
 *   category": a category's products live on one shard;
 * - 3 primary shards and 1 replica, as the original; deletions are remembered for a day
 *   (`gc_deletes`), so a replayed older event cannot bring back a deleted product meanwhile.
 */
export const DEFAULT_INDEX = 'products';

const keywordSub = { keyword: { type: 'keyword', ignore_above: 256 } };

export const PRODUCTS_INDEX_BODY = {
  settings: {
    index: {
      number_of_shards: 3,
      number_of_replicas: 1,
      refresh_interval: '1s',
      gc_deletes: '1d',
    },
  },
  mappings: {
    dynamic: 'strict',
    _routing: { required: true },
    properties: {
      product_id: { type: 'keyword' },
      name: { type: 'text', fields: keywordSub },
      description: { type: 'text' },
      brand: { type: 'text', fields: keywordSub },
      category: { type: 'text', fields: keywordSub },
      tags: { type: 'text', fields: keywordSub },
      price: { type: 'double' },
      price_minor: { type: 'long' },
      currency: { type: 'keyword' },
      stock: { type: 'integer' },
      in_stock: { type: 'boolean' },
      featured: { type: 'boolean' },
      popularity: { type: 'long' },
      images: { type: 'keyword', index: false },
      attributes: { type: 'object', enabled: false },
      version: { type: 'integer' },
      revision: { type: 'long' },
      created_at: { type: 'date' },
      updated_at: { type: 'date' },
    },
  },
} as const;
