/**
 * The catalog's cache on Redis (key scheme in domain/cache-keys.ts).
 *
 * A product entry is `<revision>|<json>`; after a change the projection leaves `<revision>|`
 * (stale up to that revision). Both are written by one Lua script that refuses to replace an
 * entry of a newer revision, so a query that read the index before a change cannot put the old
 * product back after the projection's invalidation.
 *
 * Query answers live under keys that include the generation the reader saw; the fill uses that
 * same generation, so an answer computed across a change lands under a retired generation.
 *
 * Reads never fail: an error is a miss, and the cache is then skipped for a few seconds (a
 * breaker), so a cache outage costs one timeout, not one per request.
 */
import { generationKey, invalidatedKey, productKey, queryKey } from '../../domain/cache-keys';
import type { CacheRead, ProductCache, QueryKind, SearchDocument } from '../../domain/ports';
import type { RedisClient } from './client';

/**
 * KEYS[1] entry, ARGV[1] revision, ARGV[2] value, ARGV[3] ttl seconds. Writes unless the entry
 * holds a newer revision. (Kept in Lua rather than WATCH/MULTI: one round trip, and atomic on a
 * cluster as the script touches one key.)
 */
const SET_IF_NOT_OLDER = `
local cur = redis.call('GET', KEYS[1])
if cur then
  local rev = tonumber(string.match(cur, '^(%d+)|'))
  if rev and rev > tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', tonumber(ARGV[3]))
return 1`;

/** KEYS[1] marker, ARGV[1] revision, ARGV[2] ttl seconds. Raises the marker to the revision unless it is higher already. */
const RAISE_MARKER = `
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if cur and cur >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
return 1`;

/** How long the record of an invalidated revision is kept: as long as consumers remember handled events. */
const MARKER_TTL_SECONDS = 7 * 24 * 3600;

interface ScriptedClient {
  catalogSetIfNotOlder(key: string, revision: number, value: string, ttl: number): Promise<number>;
  catalogRaiseMarker(key: string, revision: number, ttl: number): Promise<number>;
}

export interface CacheSettings {
  productTtlSeconds: number;
  queryTtlSeconds: number;
  /** how long reads skip the cache after a failure */
  breakerMs: number;
}

export const DEFAULT_CACHE_SETTINGS: CacheSettings = { productTtlSeconds: 300, queryTtlSeconds: 60, breakerMs: 5_000 };

export class RedisProductCache implements ProductCache {
  private openUntil = 0;
  private readonly settings: CacheSettings;

  constructor(
    private readonly redis: RedisClient,
    settings: Partial<CacheSettings> = {},
    private readonly onError: (operation: string, err: unknown) => void = () => {},
  ) {
    this.settings = { ...DEFAULT_CACHE_SETTINGS, ...settings };
    if (!(redis as unknown as Partial<ScriptedClient>).catalogSetIfNotOlder) {
      redis.defineCommand('catalogSetIfNotOlder', { numberOfKeys: 1, lua: SET_IF_NOT_OLDER });
    }
    if (!(redis as unknown as Partial<ScriptedClient>).catalogRaiseMarker) {
      redis.defineCommand('catalogRaiseMarker', { numberOfKeys: 1, lua: RAISE_MARKER });
    }
  }

  private get scripted(): ScriptedClient {
    return this.redis as unknown as ScriptedClient;
  }

  /** Runs a read-path operation; any failure is the fallback, and opens the breaker. */
  private async guarded<T>(operation: string, fallback: T, run: () => Promise<T>): Promise<T> {
    if (Date.now() < this.openUntil) return fallback;
    try {
      return await run();
    } catch (err) {
      this.openUntil = Date.now() + this.settings.breakerMs;
      this.onError(operation, err);
      return fallback;
    }
  }

  getProduct(productId: string): Promise<SearchDocument | undefined> {
    return this.guarded('getProduct', undefined, async () => {
      const raw = await this.redis.get(productKey(productId));
      if (!raw) return undefined;
      const bar = raw.indexOf('|');
      const json = raw.slice(bar + 1);
      return json ? (JSON.parse(json) as SearchDocument) : undefined;
    });
  }

  async fillProduct(doc: SearchDocument): Promise<void> {
    await this.guarded('fillProduct', 0, () =>
      this.scripted.catalogSetIfNotOlder(productKey(doc.product_id), doc.revision, `${doc.revision}|${JSON.stringify(doc)}`, this.settings.productTtlSeconds),
    );
  }

  getQuery<T>(kind: QueryKind, params: Record<string, unknown>): Promise<CacheRead<T>> {
    return this.guarded<CacheRead<T>>('getQuery', { token: null }, async () => {
      const generation = (await this.redis.get(generationKey())) ?? '0';
      const raw = await this.redis.get(queryKey(generation, kind, params));
      return { token: generation, value: raw ? (JSON.parse(raw) as T) : undefined };
    });
  }

  async fillQuery(kind: QueryKind, params: Record<string, unknown>, token: string | null, value: unknown): Promise<void> {
    if (token === null) return; // the read did not reach the cache: nothing safe to fill
    await this.guarded('fillQuery', 'OK', () => this.redis.set(queryKey(token, kind, params), JSON.stringify(value), 'EX', this.settings.queryTtlSeconds));
  }

  /**
   * Idempotent by (product, revision), a key derived from the event: the marker records the
   * highest revision invalidated, and a replay at or below it changes nothing (no new generation,
   * so the cached queries stay). The marker is raised last: a crash before it leaves the revision
   * to be invalidated again by the replay, never skipped. (One script over the three keys would
   * be atomic, but they are in different slots of the cluster-mode cache.)
   */
  async invalidate(productId: string, revision: number): Promise<boolean> {
    const done = Number((await this.redis.get(invalidatedKey(productId))) ?? 0);
    if (done >= revision) return false;
    await this.scripted.catalogSetIfNotOlder(productKey(productId), revision, `${revision}|`, this.settings.productTtlSeconds);
    await this.redis.incr(generationKey());
    await this.scripted.catalogRaiseMarker(invalidatedKey(productId), revision, MARKER_TTL_SECONDS);
    return true;
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }
}
