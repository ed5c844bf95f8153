import { buildCategoriesBody, buildListBody, buildSearchBody, filterClauses, sortClause, textQuery, words } from '../../../lambdas/catalog/adapters/opensearch/query-builder';
import { facetsOf, pageOf } from '../../../lambdas/catalog/adapters/opensearch/product-search';
import { afterFromCursor, cursorPosition, queryFingerprint, sortKeys, type ListQuery } from '../../../lambdas/catalog/domain/query';
import { BadRequestError } from '../../../lambdas/shared/errors';

const base: ListQuery = { filters: {}, sort: 'newest', limit: 20, facets: false };

describe('filters and sorts', () => {
  it('turns filters into filter clauses on keyword, numeric and boolean fields', () => {
    expect(filterClauses({ category: 'Electronics', brand: 'AudioTech', minPrice: 10, maxPrice: 99.99, inStock: true, featured: true, currency: 'USD' })).toEqual([
      { term: { 'category.keyword': 'Electronics' } },
      { term: { 'brand.keyword': 'AudioTech' } },
      { term: { currency: 'USD' } },
      { range: { price: { gte: 10, lte: 99.99 } } },
      { term: { in_stock: true } },
      { term: { featured: true } },
    ]);
    expect(filterClauses({ maxPrice: 50 })).toEqual([{ range: { price: { lte: 50 } } }]);
    expect(filterClauses({ inStock: false })).toEqual([{ term: { in_stock: false } }]);
  });

  it('ends every sort with product_id, so pages are a total order', () => {
    expect(sortClause(sortKeys('price_asc', false))).toEqual([{ price: { order: 'asc' } }, { product_id: { order: 'asc' } }]);
    expect(sortClause(sortKeys('price_desc', false))).toEqual([{ price: { order: 'desc' } }, { product_id: { order: 'asc' } }]);
    expect(sortClause(sortKeys('popularity', false))).toEqual([{ popularity: { order: 'desc' } }, { product_id: { order: 'asc' } }]);
    expect(sortClause(sortKeys('relevance', true))).toEqual([{ _score: { order: 'desc' } }, { product_id: { order: 'asc' } }]);
    // relevance without text has no score: newest first
    expect(sortClause(sortKeys('relevance', false))).toEqual([{ created_at: { order: 'desc' } }, { product_id: { order: 'asc' } }]);
  });

  it('builds a list request: filters, sort, one extra item, search_after', () => {
    const body = buildListBody({ ...base, filters: { category: 'Books', inStock: true }, sort: 'price_asc', limit: 10, after: [12.5, 'PROD-007'] });
    expect(body).toEqual({
      query: { bool: { filter: [{ term: { 'category.keyword': 'Books' } }, { term: { in_stock: true } }] } },
      sort: [{ price: { order: 'asc' } }, { product_id: { order: 'asc' } }],
      size: 11,
      track_total_hits: true,
      search_after: [12.5, 'PROD-007'],
    });
    expect(buildListBody(base).query).toEqual({ match_all: {} });
  });

  it('with facets, moves category and brand to post_filter and computes each facet under the other filters', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw response body, read by path
    const body = buildListBody({ ...base, filters: { category: 'Books', brand: 'Acme', inStock: true }, facets: true }) as Record<string, any>;
    expect(body.query).toEqual({ bool: { filter: [{ term: { in_stock: true } }] } });
    expect(body.post_filter).toEqual({ bool: { filter: [{ term: { 'category.keyword': 'Books' } }, { term: { 'brand.keyword': 'Acme' } }] } });
    expect(body.aggs.category.filter).toEqual({ bool: { filter: [{ term: { 'brand.keyword': 'Acme' } }] } });
    expect(body.aggs.category.aggs.values.terms.field).toBe('category.keyword');
    expect(body.aggs.brand.filter).toEqual({ bool: { filter: [{ term: { 'category.keyword': 'Books' } }] } });
    expect(body.aggs.price.aggs.ranges.range.field).toBe('price');
    expect(body.aggs.price.aggs.ranges.range.ranges[0]).toEqual({ key: 'under_25', to: 25 });
  });
});

describe('full text', () => {
  it('cuts words on anything but letters and digits, so query syntax is inert', () => {
    expect(words('Premium  HEADPHONES')).toEqual(['premium', 'headphones']);
    expect(words('+-=&&||><!(){}[]^"~*?:\\/')).toEqual([]);
    expect(words('usb-c (3.1) café')).toEqual(['usb', 'c', '3', '1', 'café']);
    expect(words(Array.from({ length: 30 }, (_, i) => `w${i}`).join(' '))).toHaveLength(12);
  });

  it('matches each word fuzzily over the weighted fields; most words must match', () => {
    expect(textQuery('headphnes audiotech')).toEqual({
      bool: {
        should: [
          { multi_match: { query: 'headphnes', fields: ['name^3', 'brand^2', 'tags^2', 'description'], fuzziness: 'AUTO', prefix_length: 1, max_expansions: 50 } },
          { multi_match: { query: 'audiotech', fields: ['name^3', 'brand^2', 'tags^2', 'description'], fuzziness: 'AUTO', prefix_length: 1, max_expansions: 50 } },
        ],
        minimum_should_match: '2<75%',
      },
    });
  });

  it('builds a search request: text must match, filters filter, best match first, highlights', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw response body, read by path
    const body = buildSearchBody({ ...base, sort: 'relevance', text: 'headphones', filters: { maxPrice: 300 } }) as Record<string, any>;
    expect(body.query.bool.must).toEqual([textQuery('headphones')]);
    expect(body.query.bool.filter).toEqual([{ range: { price: { lte: 300 } } }]);
    expect(body.sort[0]).toEqual({ _score: { order: 'desc' } });
    expect(Object.keys(body.highlight.fields)).toEqual(['name', 'description', 'brand']);
  });

  it('counts categories with a terms aggregation and no hits', () => {
    expect(buildCategoriesBody()).toEqual({ size: 0, aggs: { categories: { terms: { field: 'category.keyword', size: 500 } } } });
  });
});

describe('pages and cursors', () => {
  const hit = (id: string, sort: unknown[]) => ({ _id: id, _source: { product_id: id, revision: 1 } as never, sort: sort as never });

  it('shows `limit` items and continues after the last one shown only when more exist', () => {
    const raw = { hits: { total: { value: 3 }, hits: [hit('A', [1, 'A']), hit('B', [2, 'B']), hit('C', [3, 'C'])] } };
    expect(pageOf(raw, 2)).toMatchObject({ total: 3, next: [2, 'B'] });
    expect(pageOf(raw, 2).items.map((i) => i.product_id)).toEqual(['A', 'B']);
    expect(pageOf(raw, 3).next).toBeUndefined();
  });

  it('reads facets back with every price range, empty ones as 0', () => {
    const facets = facetsOf({
      hits: { hits: [] },
      aggregations: {
        category: { values: { buckets: [{ key: 'Books', doc_count: 4 }] } },
        brand: { values: { buckets: [{ key: 'Acme', doc_count: 2 }] } },
        price: { ranges: { buckets: [{ key: '25_50', doc_count: 3 }] } },
      },
    })!;
    expect(facets.category).toEqual([{ value: 'Books', count: 4 }]);
    expect(facets.brand).toEqual([{ value: 'Acme', count: 2 }]);
    expect(facets.price).toHaveLength(7);
    expect(facets.price.find((p) => p.key === '25_50')!.count).toBe(3);
    expect(facets.price.find((p) => p.key === 'under_25')!.count).toBe(0);
  });

  it('binds a cursor to its query: other filters, text or sort are refused; page size is not part of it', () => {
    const q: ListQuery = { ...base, filters: { category: 'Books' }, sort: 'price_asc' };
    const f = queryFingerprint('list', q);
    expect(queryFingerprint('list', { ...q, limit: 99 })).toBe(f);
    expect(queryFingerprint('list', { ...q, filters: { category: 'Toys' } })).not.toBe(f);
    expect(queryFingerprint('search', { ...q, text: 'a' })).not.toBe(queryFingerprint('search', { ...q, text: 'b' }));
    const keys = sortKeys('price_asc', false);
    expect(afterFromCursor(cursorPosition([12.5, 'P1'], f), f, keys)).toEqual([12.5, 'P1']);
    expect(() => afterFromCursor(cursorPosition([12.5, 'P1'], f), queryFingerprint('list', { ...q, sort: 'newest' }), keys)).toThrow(BadRequestError);
    const detail = (position: Record<string, unknown>) => {
      try {
        afterFromCursor(position, f, keys);
      } catch (err) {
        return (err as BadRequestError).details[0];
      }
      return undefined;
    };
    expect(detail({ a: [12.5], f })).toEqual({ field: 'cursor', message: 'not a cursor this API issued' });
    expect(detail({ a: [{}, 'P1'], f })).toEqual({ field: 'cursor', message: 'not a cursor this API issued' });
    expect(detail({ a: [1, 2], f })).toEqual({ field: 'cursor', message: 'not a cursor this API issued' });
    expect(afterFromCursor(undefined, f, keys)).toBeUndefined();
  });
});
