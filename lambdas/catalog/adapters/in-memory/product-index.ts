/**
 * ProductIndexWriter in memory, with OpenSearch's external-versioning rules: per (routing, id),
 * a write or delete must carry a version above the one held (deletions leave a versioned
 * tombstone). The reference behaviour for the projection's unit tests.
 */
import type { IndexAction, IndexOutcome, ProductIndexWriter, SearchDocument } from '../../domain/ports';

interface Entry {
  version: number;
  document: SearchDocument | null;
}

export class InMemoryProductIndex implements ProductIndexWriter {
  /** key: `${routing}/${id}` */
  readonly entries = new Map<string, Entry>();

  async apply(action: IndexAction): Promise<IndexOutcome> {
    const key = `${action.routing}/${action.productId}`;
    const held = this.entries.get(key);
    if (held && held.version >= action.version) return 'stale';
    this.entries.set(key, { version: action.version, document: action.kind === 'index' ? action.document : null });
    return 'applied';
  }

  /** Live documents of a product, whatever their routing. */
  documents(productId: string): Array<{ routing: string; version: number; document: SearchDocument }> {
    return [...this.entries]
      .filter(([key, e]) => key.endsWith(`/${productId}`) && e.document)
      .map(([key, e]) => ({ routing: key.slice(0, key.length - productId.length - 1), version: e.version, document: e.document! }));
  }
}
