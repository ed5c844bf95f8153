// Search endpoints: _search (GET/POST, one index, comma lists, wildcards), _count, _msearch and _delete_by_query.
import { IllegalArgumentError, OpenSearchError } from '../errors';
import { ShardContext } from '../search/context';
import { executeCount, executeSearch } from '../search/search-service';
import { parseSearchRequest } from '../search/search-request';
import { QueryParser } from '../search/query-parser';
import { isPlainObject, parseJson } from '../util/json';
import { ApiRequest, ApiResponse, ok } from './request';
import { applyRefresh } from './documents';

function resolve(req: ApiRequest, index: string | undefined, q: Record<string, string | undefined>) {
  return req.cluster.resolve(index, {
    ignoreUnavailable: q.ignore_unavailable === 'true',
    allowNoIndices: q.allow_no_indices !== 'false',
  });
}

export function search(req: ApiRequest): ApiResponse {
  if (req.query.scroll !== undefined) throw new IllegalArgumentError('scroll is not supported by this local OpenSearch; use search_after');
  const body = req.jsonObject();
  const engines = resolve(req, req.params.index, req.query);
  const sr = parseSearchRequest(body, req.rawBody, req.query);
  return ok(executeSearch(engines, sr));
}

export function count(req: ApiRequest): ApiResponse {
  const body = req.jsonObject();
  const engines = resolve(req, req.params.index, req.query);
  return ok(executeCount(engines, body, req.rawBody, req.query));
}

export function msearch(req: ApiRequest): ApiResponse {
  const started = process.hrtime.bigint();
  const lines = req.rawBody.split('\n').filter((l) => l.trim() !== '');
  if (lines.length % 2 !== 0) throw new IllegalArgumentError('The msearch request must be terminated by a newline [\\n]');
  const responses: unknown[] = [];
  for (let i = 0; i < lines.length; i += 2) {
    try {
      const header = parseJson(lines[i]);
      const h = isPlainObject(header) ? header : {};
      const body = parseJson(lines[i + 1]);
      const index = h.index !== undefined ? ([] as unknown[]).concat(h.index).join(',') : req.params.index;
      const q: Record<string, string | undefined> = { ...req.query };
      for (const [k, v] of Object.entries(h)) if (k !== 'index') q[k] = String(v);
      const engines = resolve(req, index, q);
      const raw = lines[i + 1];
      responses.push({ ...executeSearch(engines, parseSearchRequest(isPlainObject(body) ? body : undefined, raw, q)), status: 200 });
    } catch (e) {
      if (!(e instanceof OpenSearchError)) throw e;
      responses.push({ ...e.toBody() });
    }
  }
  return ok({ took: Number((process.hrtime.bigint() - started) / 1_000_000n), responses });
}

export function deleteByQuery(req: ApiRequest): ApiResponse {
  const started = process.hrtime.bigint();
  const body = req.jsonObject() ?? {};
  if (body.query === undefined) throw new OpenSearchError('action_request_validation_exception', 'Validation Failed: 1: query is missing;', 400);
  const query = new QueryParser(req.rawBody).parse(body.query);
  const engines = resolve(req, req.params.index, req.query);
  let deleted = 0;
  for (const e of engines) {
    const ctx = new ShardContext(e, e.live, Date.now());
    const ords = query.filter(ctx).toArray();
    for (const ord of ords) {
      const rec = e.byOrd[ord];
      if (e.get(rec.id, rec.routing) === rec) {
        e.delete(rec.id, { routing: rec.routing });
        deleted++;
      }
    }
    e.flush();
  }
  applyRefresh(req, engines);
  return ok({
    took: Number((process.hrtime.bigint() - started) / 1_000_000n),
    timed_out: false,
    total: deleted,
    deleted,
    batches: deleted ? 1 : 0,
    version_conflicts: 0,
    noops: 0,
    retries: { bulk: 0, search: 0 },
    throttled_millis: 0,
    requests_per_second: -1.0,
    throttled_until_millis: 0,
    failures: [],
  });
}
