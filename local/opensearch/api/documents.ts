// Single-document endpoints: index (PUT/POST _doc/{id}, POST _doc auto id, _create), get, exists, _source,
// delete, _mget, with routing, external versions, op_type=create, if_seq_no/if_primary_term and refresh.
import { ActionRequestValidationError, IndexNotFoundError, MapperParsingError, OpenSearchError } from '../errors';
import type { IndexEngine, WriteOptions, WriteResult } from '../engine/index-engine';
import { filterSource, parseSourceFilter } from '../search/source-filter';
import { isPlainObject, parseJson } from '../util/json';
import { ApiRequest, ApiResponse, ok } from './request';

/** Parses a document source; malformed JSON is mapper_parsing_exception "failed to parse" like OpenSearch. */
export function parseSourceDoc(text: string): Record<string, unknown> {
  if (!text.trim()) throw new ActionRequestValidationError(['source is missing', 'content type is missing']);
  let v: unknown;
  try {
    v = parseJson(text);
  } catch (e) {
    throw new MapperParsingError('failed to parse', e as OpenSearchError);
  }
  if (!isPlainObject(v)) {
    throw new MapperParsingError('failed to parse', new OpenSearchError('not_x_content_exception', 'Compressor detection can only be called on some xcontent bytes or compressed xcontent bytes', 400));
  }
  return v;
}

export function writeOptions(q: Record<string, string | undefined>): WriteOptions {
  const num = (name: string): number | undefined => {
    const v = q[name];
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw new OpenSearchError('illegal_argument_exception', `Failed to parse int parameter [${name}] with value [${v}]`, 400);
    return n;
  };
  const o: WriteOptions = {
    routing: q.routing,
    version: num('version'),
    versionType: q.version_type,
    ifSeqNo: num('if_seq_no'),
    ifPrimaryTerm: num('if_primary_term'),
  };
  if (q.op_type !== undefined) {
    if (q.op_type !== 'create' && q.op_type !== 'index') throw new OpenSearchError('illegal_argument_exception', `opType must be 'create' or 'index', found: [${q.op_type}]`, 400);
    o.opType = q.op_type;
  }
  if ((o.ifSeqNo === undefined) !== (o.ifPrimaryTerm === undefined)) {
    throw new ActionRequestValidationError([o.ifSeqNo === undefined ? 'ifSeqNo is unassigned, but primary term is [' + o.ifPrimaryTerm + ']' : 'ifSeqNo is set, but primary term is [0]']);
  }
  return o;
}

export function shardsInfo(e: IndexEngine, noop = false): Record<string, number> {
  return noop ? { total: 0, successful: 0, failed: 0 } : { total: 1 + e.numberOfReplicas, successful: 1, failed: 0 };
}

/** The body of a write response (index/create/delete/update), optionally with forced_refresh. */
export function writeBody(e: IndexEngine, r: WriteResult, forcedRefresh: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { _index: e.name, _id: r.id, _version: r.version, result: r.result };
  if (forcedRefresh) body.forced_refresh = true;
  body._shards = shardsInfo(e, r.result === 'noop');
  body._seq_no = r.seqNo;
  body._primary_term = r.primaryTerm;
  return body;
}

export function applyRefresh(req: ApiRequest, engines: Iterable<IndexEngine>): boolean {
  const mode = req.refreshMode();
  if (mode === 'false') return false;
  for (const e of engines) e.refresh();
  return mode === 'true';
}

export function indexDoc(req: ApiRequest, opType?: 'create'): ApiResponse {
  const source = parseSourceDoc(req.rawBody);
  const e = req.cluster.forWrite(req.params.index);
  const o = writeOptions(req.query);
  if (opType) o.opType = opType;
  try {
    const r = e.index(req.params.id, source, o, req.rawBody.trim());
    const forced = applyRefresh(req, [e]);
    return ok(writeBody(e, r, forced), r.status);
  } finally {
    e.flush();
  }
}

export function getDoc(req: ApiRequest, sourceOnly = false): ApiResponse {
  const e = req.cluster.get(req.params.index);
  if (req.bool('refresh')) e.refresh();
  const rec = e.get(req.params.id, req.query.routing);
  if (!rec) {
    if (sourceOnly) {
      throw new OpenSearchError('resource_not_found_exception', `Document not found [${e.name}]/[${req.params.id}]`, 404);
    }
    return ok({ _index: e.name, _id: req.params.id, found: false }, 404);
  }
  if (req.query.version !== undefined && Number(req.query.version) !== rec.version) {
    throw new OpenSearchError('version_conflict_engine_exception', `[${rec.id}]: version conflict, current version [${rec.version}] is different than the one provided [${req.query.version}]`, 409, {
      index: e.name,
      shard: String(rec.shard),
      index_uuid: e.uuid,
    });
  }
  const src = filterSource(rec.source ?? {}, parseSourceFilter(undefined, req.query));
  if (sourceOnly) return ok(src ?? {});
  const body: Record<string, unknown> = { _index: e.name, _id: rec.id, _version: rec.version, _seq_no: rec.seqNo, _primary_term: rec.primaryTerm };
  if (rec.routing !== undefined) body._routing = rec.routing;
  body.found = true;
  if (src !== undefined) body._source = src;
  return ok(body);
}

export function deleteDoc(req: ApiRequest): ApiResponse {
  const e = req.cluster.get(req.params.index);
  try {
    const r = e.delete(req.params.id, writeOptions(req.query));
    const forced = applyRefresh(req, [e]);
    return ok(writeBody(e, r, forced), r.status);
  } finally {
    e.flush();
  }
}

export function mget(req: ApiRequest): ApiResponse {
  const body = req.jsonObject() ?? {};
  const defIndex = req.params.index;
  let specs: Record<string, unknown>[];
  if (Array.isArray(body.docs)) specs = body.docs.map((d) => (isPlainObject(d) ? d : {}));
  else if (Array.isArray(body.ids)) specs = body.ids.map((id) => ({ _id: id }));
  else throw new ActionRequestValidationError(['no documents to get']);
  const problems: string[] = [];
  specs.forEach((s, i) => {
    if ((s._index ?? defIndex) === undefined) problems.push(`index is missing for doc ${i}`);
    if (s._id === undefined) problems.push(`id is missing for doc ${i}`);
  });
  if (problems.length) throw new ActionRequestValidationError(problems);
  const docs = specs.map((s) => {
    const index = String(s._index ?? defIndex);
    const id = String(s._id);
    const e = req.cluster.indices.get(index);
    if (!e) return { _index: index, _id: id, error: new IndexNotFoundError(index).toBody().error };
    const rec = e.get(id, (s.routing as string | undefined) ?? req.query.routing);
    if (!rec) return { _index: index, _id: id, found: false };
    const filter = s._source !== undefined ? parseSourceFilter(s._source) : parseSourceFilter(undefined, req.query);
    const out: Record<string, unknown> = { _index: index, _id: id, _version: rec.version, _seq_no: rec.seqNo, _primary_term: rec.primaryTerm };
    if (rec.routing !== undefined) out._routing = rec.routing;
    out.found = true;
    const src = filterSource(rec.source ?? {}, filter);
    if (src !== undefined) out._source = src;
    return out;
  });
  return ok({ docs });
}
