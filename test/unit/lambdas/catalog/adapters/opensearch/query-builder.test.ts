import { buildCategoriesBody, buildListBody, buildSearchBody, filterClauses, sortClause, textQuery, words } from '../../../../../../lambdas/catalog/adapters/opensearch/query-builder';
import { sortKeys, type ListQuery } from '../../../../../../lambdas/catalog/domain/query';

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
