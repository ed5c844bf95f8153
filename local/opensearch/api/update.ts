// POST /{index}/_update/{id}: partial update with `doc` (deep merge, detect_noop), `doc_as_upsert`, `upsert`,
// `script` (see api/script.ts), if_seq_no/if_primary_term, routing, refresh and `_source` in the response.
import { ActionRequestValidationError, DocumentMissingError } from '../errors';
import type { IndexEngine, WriteOptions } from '../engine/index-engine';
import { filterSource, parseSourceFilter } from '../search/source-filter';
import { isPlainObject } from '../util/json';
import { applyRefresh, writeBody, writeOptions } from './documents';
import { ApiRequest, ApiResponse, ok } from './request';
import { runScript } from './script';

export function deepMerge(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  }
  return out;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface UpdateOutcome {
  body: Record<string, unknown>;
  status: number;
}

/** Shared by the _update endpoint and bulk "update" actions. */
export function performUpdate(e: IndexEngine, id: string, body: Record<string, unknown>, o: WriteOptions, sourceParam?: Record<string, string | undefined>): UpdateOutcome {
  const doc = body.doc;
  const script = body.script;
  if (doc === undefined && script === undefined) throw new ActionRequestValidationError(['script or doc is missing']);
  if (doc !== undefined && !isPlainObject(doc)) throw new ActionRequestValidationError(['doc must be an object']);
  const existing = e.get(id, o.routing);
  const shard = e.shardOf(id, o.routing);
  let result;
  if (!existing) {
    if (o.ifSeqNo !== undefined) e.index(id, {}, { ...o, opType: 'create' }); // raises the seq_no conflict
    let src: Record<string, unknown> | undefined;
    if (isPlainObject(body.upsert)) src = body.upsert;
    else if (body.doc_as_upsert === true && isPlainObject(doc)) src = doc;
    if (!src) throw new DocumentMissingError(e.name, e.uuid, shard, id);
    if (script !== undefined && body.scripted_upsert === true) src = runScript(script, src).source;
    result = e.index(id, src, { routing: o.routing, opType: 'create' });
  } else {
    if (o.ifSeqNo !== undefined && (existing.seqNo !== o.ifSeqNo || existing.primaryTerm !== o.ifPrimaryTerm)) {
      e.index(id, existing.source!, { routing: o.routing, ifSeqNo: o.ifSeqNo, ifPrimaryTerm: o.ifPrimaryTerm }); // raises the conflict
    }
    let merged: Record<string, unknown>;
    let op: 'index' | 'delete' | 'noop' = 'index';
    if (script !== undefined) ({ source: merged, op } = runScript(script, existing.source!));
    else merged = deepMerge(existing.source!, doc as Record<string, unknown>);
    if (op === 'delete') {
      result = e.delete(id, { routing: o.routing });
    } else if (op === 'noop' || (script === undefined && body.detect_noop !== false && deepEqual(merged, existing.source))) {
      result = { id, shard: existing.shard, version: existing.version, seqNo: existing.seqNo, primaryTerm: existing.primaryTerm, result: 'noop' as const, status: 200 };
    } else {
      result = e.index(id, merged, { routing: o.routing });
      result = { ...result, result: 'updated' as const, status: 200 };
    }
  }
  const out = writeBody(e, result, false);
  const wantSource = body._source !== undefined ? parseSourceFilter(body._source) : sourceParam && (sourceParam._source || sourceParam._source_includes || sourceParam._source_excludes) ? parseSourceFilter(undefined, sourceParam) : undefined;
  if (wantSource && wantSource.enabled) {
    const cur = e.get(id, o.routing);
    if (cur) out.get = { _seq_no: cur.seqNo, _primary_term: cur.primaryTerm, found: true, _source: filterSource(cur.source ?? {}, wantSource) };
  }
  return { body: out, status: result.status };
}

export function updateDoc(req: ApiRequest): ApiResponse {
  const body = req.jsonObject();
  if (!body) throw new ActionRequestValidationError(['script or doc is missing']);
  const e = req.cluster.forWrite(req.params.index);
  try {
    const r = performUpdate(e, req.params.id, body, writeOptions(req.query), req.query);
    if (applyRefresh(req, [e])) {
      const shards = r.body._shards;
      delete r.body._shards;
      const { _seq_no, _primary_term, get, ...head } = r.body;
      r.body = { ...head, forced_refresh: true, _shards: shards, _seq_no, _primary_term, ...(get ? { get } : {}) };
    }
    return ok(r.body, r.status);
  } finally {
    e.flush();
  }
}
