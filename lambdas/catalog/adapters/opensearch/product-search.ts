/**
 * The queries' side of the index: runs the requests of query-builder.ts and reads the answers
 * back into the domain's pages, facets and counts. An index that does not exist yet (nothing
 * was ever created) is an empty catalog, not an error.
 */
import type { Client } from '@opensearch-project/opensearch';
import type { ProductSearch, SearchDocument, SearchHit, SearchPage } from '../../domain/ports';
import { PRICE_RANGES, type CategoryCount, type Facets, type ListQuery, type SearchQuery, type SortValue } from '../../domain/query';
import { isIndexMissing } from './errors';
import { DEFAULT_INDEX } from './index-definition';
import { buildCategoriesBody, buildGetByIdBody, buildListBody, buildSearchBody } from './query-builder';

interface RawHit {
  _id: string;
  _source: SearchDocument;
  sort?: SortValue[];
  highlight?: Record<string, string[]>;
}

interface RawBuckets {
  buckets: Array<{ key: string; doc_count: number; from?: number; to?: number }>;
}

interface RawSearch {
  hits: { total?: number | { value: number }; hits: RawHit[] };
  aggregations?: Record<string, Record<string, unknown> & { doc_count?: number }>;
}

const EMPTY: RawSearch = { hits: { total: { value: 0 }, hits: [] } };

function total(raw: RawSearch): number {
  const t = raw.hits.total;
  return typeof t === 'number' ? t : (t?.value ?? raw.hits.hits.length);
}

function buckets(agg: Record<string, unknown> | undefined, inner: string): RawBuckets['buckets'] {
  return ((agg?.[inner] as RawBuckets | undefined)?.buckets ?? []) as RawBuckets['buckets'];
}

export function facetsOf(raw: RawSearch): Facets | undefined {
  const aggs = raw.aggregations;
  if (!aggs) return undefined;
  const priceBuckets = buckets(aggs.price, 'ranges');
  return {
    category: buckets(aggs.category, 'values').map((b) => ({ value: String(b.key), count: b.doc_count })),
    brand: buckets(aggs.brand, 'values').map((b) => ({ value: String(b.key), count: b.doc_count })),
    price: PRICE_RANGES.map((r) => ({ ...r, count: priceBuckets.find((b) => b.key === r.key)?.doc_count ?? 0 })),
  };
}

export function pageOf(raw: RawSearch, limit: number): SearchPage {
  const hits = raw.hits.hits;
  const shown = hits.slice(0, limit);
  const items: SearchHit[] = shown.map((h) => (h.highlight ? { ...h._source, highlight: h.highlight } : h._source));
  const last = shown[shown.length - 1];
  return {
    items,
    total: total(raw),
    next: hits.length > limit && last?.sort ? last.sort : undefined,
    facets: facetsOf(raw),
  };
}

export class OpenSearchProductSearch implements ProductSearch {
  constructor(
    private readonly client: Client,
    private readonly index: string = DEFAULT_INDEX,
  ) {}

  private async run(body: Record<string, unknown>): Promise<RawSearch> {
    try {
      const res = await this.client.search({ index: this.index, body });
      return res.body as unknown as RawSearch;
    } catch (err) {
      if (isIndexMissing(err)) return EMPTY;
      throw err;
    }
  }

  async getById(productId: string): Promise<SearchDocument | undefined> {
    const raw = await this.run(buildGetByIdBody(productId));
    return raw.hits.hits.map((h) => h._source).sort((a, b) => b.revision - a.revision)[0];
  }

  async list(query: ListQuery): Promise<SearchPage> {
    return pageOf(await this.run(buildListBody(query)), query.limit);
  }

  async search(query: SearchQuery): Promise<SearchPage> {
    return pageOf(await this.run(buildSearchBody(query)), query.limit);
  }

  async categories(): Promise<CategoryCount[]> {
    const raw = await this.run(buildCategoriesBody());
    const agg = raw.aggregations?.categories as unknown as RawBuckets | undefined;
    return (agg?.buckets ?? []).map((b) => ({ category: String(b.key), count: b.doc_count }));
  }

  async ping(): Promise<void> {
    await this.client.indices.exists({ index: this.index });
  }
}
