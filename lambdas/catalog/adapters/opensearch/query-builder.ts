/**
 * The catalog's questions in OpenSearch's query DSL, as plain data (pure, so the shape of every
 * request is unit-tested).
 *
 * - Filters are `filter` clauses (no scoring, cacheable). With facets, category and brand go to
 *   `post_filter` instead and each facet is computed under the other facets' filters: the usual
 *   multi-select layout, where choosing a brand still shows the other brands' counts.
 * - Full text is one `multi_match` per word over name^3, brand^2, tags^2 and description, each
 *   with `fuzziness: AUTO`, and most words must match (`2<75%`). One clause per word rather than
 *   one multi_match for the whole text because a multi_match's operator and minimum_should_match
 *   apply field by field: "audiotech headphones" would need both words in one field, and the
 *   type that counts across fields (cross_fields) does not allow fuzziness.
 * - Words are cut on anything that is not a letter or a digit, so the query syntax characters of
 *   other query types (+ - = && || > < ! ( ) { } [ ] ^ " ~ * ? : \ /) are plain separators here.
 * - Pages ask for one item more than they show: whether a next page exists is known without
 *   an empty last page. Sort values of the last item shown continue with `search_after`.
 */
import type { Filters, ListQuery, SearchQuery, SortKey } from '../../domain/query';
import { PRICE_RANGES, sortKeys } from '../../domain/query';

export const SEARCH_FIELDS = ['name^3', 'brand^2', 'tags^2', 'description'];
export const MAX_QUERY_WORDS = 12;
export const FACET_SIZE = 20;

type Clause = Record<string, unknown>;

export function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_QUERY_WORDS);
}

const categoryClause = (f: Filters): Clause[] => (f.category ? [{ term: { 'category.keyword': f.category } }] : []);
const brandClause = (f: Filters): Clause[] => (f.brand ? [{ term: { 'brand.keyword': f.brand } }] : []);

/** Filters other than category and brand. */
function baseFilters(f: Filters): Clause[] {
  const out: Clause[] = [];
  if (f.currency) out.push({ term: { currency: f.currency } });
  if (f.minPrice !== undefined || f.maxPrice !== undefined) {
    const range: Record<string, number> = {};
    if (f.minPrice !== undefined) range.gte = f.minPrice;
    if (f.maxPrice !== undefined) range.lte = f.maxPrice;
    out.push({ range: { price: range } });
  }
  if (f.inStock !== undefined) out.push({ term: { in_stock: f.inStock } });
  if (f.featured !== undefined) out.push({ term: { featured: f.featured } });
  return out;
}

export function filterClauses(f: Filters): Clause[] {
  return [...categoryClause(f), ...brandClause(f), ...baseFilters(f)];
}

const FIELD: Record<SortKey['field'], string> = {
  score: '_score',
  price: 'price',
  created_at: 'created_at',
  popularity: 'popularity',
  product_id: 'product_id',
};

export function sortClause(keys: SortKey[]): Clause[] {
  return keys.map((k) => ({ [FIELD[k.field]]: { order: k.order } }));
}

/** The full-text part of a search: one fuzzy multi_match per word, most of them required. */
export function textQuery(text: string): Clause {
  const clauses = words(text).map((word) => ({
    multi_match: { query: word, fields: SEARCH_FIELDS, fuzziness: 'AUTO', prefix_length: 1, max_expansions: 50 },
  }));
  return { bool: { should: clauses, minimum_should_match: '2<75%' } };
}

const all = (clauses: Clause[]): Clause => (clauses.length ? { bool: { filter: clauses } } : { match_all: {} });

function facetAggs(f: Filters): Clause {
  return {
    category: { filter: all(brandClause(f)), aggs: { values: { terms: { field: 'category.keyword', size: FACET_SIZE } } } },
    brand: { filter: all(categoryClause(f)), aggs: { values: { terms: { field: 'brand.keyword', size: FACET_SIZE } } } },
    price: {
      filter: all([...categoryClause(f), ...brandClause(f)]),
      aggs: { ranges: { range: { field: 'price', ranges: PRICE_RANGES.map(({ key, from, to }) => ({ key, from, to })) } } },
    },
  };
}

function pageBody(q: ListQuery, must: Clause | undefined): Clause {
  const keys = sortKeys(q.sort, must !== undefined);
  const facetFilters = [...categoryClause(q.filters), ...brandClause(q.filters)];
  const filters = q.facets ? baseFilters(q.filters) : filterClauses(q.filters);
  const query = must || filters.length ? { bool: { ...(must ? { must: [must] } : {}), ...(filters.length ? { filter: filters } : {}) } } : { match_all: {} };
  return {
    query,
    ...(q.facets && facetFilters.length ? { post_filter: all(facetFilters) } : {}),
    sort: sortClause(keys),
    size: q.limit + 1,
    track_total_hits: true,
    ...(q.after ? { search_after: q.after } : {}),
    ...(q.facets ? { aggs: facetAggs(q.filters) } : {}),
  };
}

export function buildListBody(q: ListQuery): Clause {
  return pageBody(q, undefined);
}

export function buildSearchBody(q: SearchQuery): Clause {
  return {
    ...pageBody(q, textQuery(q.text)),
    highlight: {
      pre_tags: ['<em>'],
      post_tags: ['</em>'],
      fields: { name: { number_of_fragments: 0 }, description: { fragment_size: 150, number_of_fragments: 2 }, brand: { number_of_fragments: 0 } },
    },
  };
}

export function buildGetByIdBody(productId: string): Clause {
  // More than one hit only for a moment while a product changes category: the caller keeps the newest.
  return { query: { ids: { values: [productId] } }, size: 5 };
}

export function buildCategoriesBody(): Clause {
  return { size: 0, aggs: { categories: { terms: { field: 'category.keyword', size: 500 } } } };
}
