// The single-node "cluster": the registry of indices, index-name validation, index expressions (comma lists,
// wildcards, exclusions, _all), auto-creation on first write, and loading persisted indices at startup.
import { IndexNotFoundError, InvalidIndexNameError, OpenSearchError, ResourceAlreadyExistsError } from './errors';
import { EngineOptions, IndexEngine, TextBackend } from './engine/index-engine';
import { flattenSettings, Settings, validateSettings } from './engine/settings';
import { IndexStore } from './engine/store';
import { isPlainObject } from './util/json';

export interface ClusterOptions {
  dataDir: string;
  log: (m: string) => void;
  maxResultWindow: number;
  textBackend: TextBackend;
}

export const CLUSTER_NAME = 'opensearch-local';
export const CLUSTER_UUID = 'bG9jYWwtY2x1c3Rlci11dWlk';

export function validateIndexName(name: string): void {
  if (name !== name.toLowerCase()) throw new InvalidIndexNameError(name, 'must be lowercase');
  if (/[\\/*?"<>| ,]/.test(name)) throw new InvalidIndexNameError(name, 'must not contain the following characters [ , ", *, \\, <, |, ,, >, /, ?]');
  if (name.includes('#')) throw new InvalidIndexNameError(name, "must not contain '#'");
  if (name.includes(':')) throw new InvalidIndexNameError(name, "must not contain ':'");
  if (/^[_\-+]/.test(name)) throw new InvalidIndexNameError(name, "must not start with '_', '-', or '+'");
  if (name === '.' || name === '..') throw new InvalidIndexNameError(name, "must not be '.' or '..'");
  const bytes = Buffer.byteLength(name);
  if (bytes > 255) throw new InvalidIndexNameError(name, `index name is too long, (${bytes} > 255)`);
  if (name.length === 0) throw new InvalidIndexNameError(name, 'must not be empty');
}

export class Cluster {
  readonly indices = new Map<string, IndexEngine>();
  constructor(readonly opts: ClusterOptions) {}

  private engineOptions(name: string): EngineOptions {
    return { dataDir: this.opts.dataDir, name, textBackend: this.opts.textBackend, defaultMaxResultWindow: this.opts.maxResultWindow, log: this.opts.log };
  }

  load(): void {
    for (const name of IndexStore.list(this.opts.dataDir)) {
      try {
        this.indices.set(name, IndexEngine.open(this.engineOptions(name)));
      } catch (e) {
        this.opts.log(`failed to open index [${name}]: ${(e as Error).message}`);
      }
    }
  }

  createIndex(name: string, body: unknown): IndexEngine {
    validateIndexName(name);
    const existing = this.indices.get(name);
    if (existing) throw new ResourceAlreadyExistsError(name, existing.uuid);
    const b = isPlainObject(body) ? body : {};
    for (const k of Object.keys(b)) {
      if (!['settings', 'mappings', 'aliases'].includes(k)) {
        // OpenSearch treats unknown top-level keys as (legacy) settings and then rejects them.
        throw new OpenSearchError('parse_exception', `unknown key [${k}] for create index`, 400);
      }
    }
    const settings: Settings = flattenSettings(b.settings);
    validateSettings(settings, true);
    const engine = IndexEngine.create(this.engineOptions(name), settings, b.mappings);
    this.indices.set(name, engine);
    this.opts.log(`[${name}] created`);
    return engine;
  }

  /** The index for a write, created with default settings and dynamic mapping if missing. */
  forWrite(name: string): IndexEngine {
    const e = this.indices.get(name);
    if (e) return e;
    validateIndexName(name);
    return this.createIndex(name, {});
  }

  get(name: string): IndexEngine {
    const e = this.indices.get(name);
    if (!e) throw new IndexNotFoundError(name);
    return e;
  }

  /** Resolves an index expression to engines (sorted by name like OpenSearch's shard iteration order). */
  resolve(expr: string | undefined, o: { ignoreUnavailable?: boolean; allowNoIndices?: boolean } = {}): IndexEngine[] {
    const parts = !expr || expr === '_all' ? ['*'] : expr.split(',').map((s) => s.trim()).filter(Boolean);
    const names = new Set<string>();
    let sawWildcard = false;
    for (const p of parts) {
      if (p.startsWith('-') && sawWildcard) {
        const rx = toRegex(p.slice(1));
        for (const n of [...names]) if (rx.test(n)) names.delete(n);
        continue;
      }
      if (p === '_all' || p.includes('*')) {
        sawWildcard = true;
        const rx = toRegex(p === '_all' ? '*' : p);
        for (const n of this.indices.keys()) if (rx.test(n)) names.add(n);
        continue;
      }
      if (this.indices.has(p)) names.add(p);
      else if (!o.ignoreUnavailable) throw new IndexNotFoundError(p);
    }
    if (names.size === 0 && o.allowNoIndices === false) throw new IndexNotFoundError(expr ?? '_all');
    return [...names].sort().map((n) => this.indices.get(n)!);
  }

  deleteIndex(expr: string, ignoreUnavailable = false): void {
    for (const e of this.resolve(expr, { ignoreUnavailable })) {
      e.destroy();
      this.indices.delete(e.name);
      this.opts.log(`[${e.name}] deleted`);
    }
  }

  flushAll(): void {
    for (const e of this.indices.values()) e.flush();
  }

  close(): void {
    for (const e of this.indices.values()) {
      try {
        e.close();
      } catch (err) {
        this.opts.log(`failed to close [${e.name}]: ${(err as Error).message}`);
      }
    }
    this.indices.clear();
  }
}

function toRegex(p: string): RegExp {
  return new RegExp('^' + p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
}
