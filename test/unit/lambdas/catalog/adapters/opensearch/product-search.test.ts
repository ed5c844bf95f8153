import { facetsOf, pageOf } from '../../../../../../lambdas/catalog/adapters/opensearch/product-search';

describe('pages and facets', () => {
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
});
