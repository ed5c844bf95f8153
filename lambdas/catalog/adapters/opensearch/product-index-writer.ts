/**
 * The projection's side of the index: creates the index with its mappings on first use, then
 * writes product documents with external versions (the product revision) at their category's
 * routing. OpenSearch itself refuses a version not above the one it holds (409): that is an
 * older or repeated event, reported as "stale", not as an error.
 *
 * Writes ask for `refresh=true`: the change is searchable when the call returns, so the cache
 * invalidation that follows cannot be raced by a query that still sees the old state and caches
 * it under the new generation. The catalog's write rate (edits, stock reports) is far below what
 * per-write refreshes cost.
 */
import type { Client } from '@opensearch-project/opensearch';
import type { IndexAction, IndexOutcome, ProductIndexWriter } from '../../domain/ports';
import { errorTypeOf, statusOf } from './errors';
import { DEFAULT_INDEX, PRODUCTS_INDEX_BODY } from './index-definition';

export class OpenSearchProductIndexWriter implements ProductIndexWriter {
  private ready: Promise<void> | undefined;

  constructor(
    private readonly client: Client,
    private readonly index: string = DEFAULT_INDEX,
  ) {}

  /** Creates the index unless it exists (once per execution environment; a lost creation race is fine). */
  ensureIndex(): Promise<void> {
    this.ready ??= this.createIfMissing().catch((err) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  private async createIfMissing(): Promise<void> {
    const exists = await this.client.indices.exists({ index: this.index });
    if (exists.body === true || exists.statusCode === 200) return;
    try {
      await this.client.indices.create({ index: this.index, body: PRODUCTS_INDEX_BODY as unknown as Record<string, unknown> });
    } catch (err) {
      if (errorTypeOf(err) !== 'resource_already_exists_exception') throw err;
    }
  }

  async apply(action: IndexAction): Promise<IndexOutcome> {
    await this.ensureIndex();
    const common = {
      index: this.index,
      id: action.productId,
      routing: action.routing,
      version: action.version,
      version_type: 'external' as const,
      refresh: true as const,
    };
    try {
      if (action.kind === 'index') {
        await this.client.index({ ...common, body: action.document as unknown as Record<string, unknown> });
      } else {
        await this.client.delete(common);
      }
      return 'applied';
    } catch (err) {
      const status = statusOf(err);
      if (status === 409) return 'stale'; // version_conflict_engine_exception: the index is at this revision or newer
      if (action.kind === 'delete' && status === 404) return 'applied'; // nothing at that routing; the tombstone keeps the version
      throw err;
    }
  }
}
