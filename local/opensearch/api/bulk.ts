// POST /_bulk and /{index}/_bulk: newline-delimited action/metadata lines (index, create, update, delete) and
// sources, executed in order with per-item results and errors, the `errors` flag, and one refresh/flush at the end.
import { ActionRequestValidationError, IllegalArgumentError, OpenSearchError } from '../errors';
import type { IndexEngine, WriteOptions } from '../engine/index-engine';
import { isPlainObject } from '../util/json';
import { applyRefresh, parseSourceDoc, writeBody } from './documents';
import { ApiRequest, ApiResponse, ok } from './request';
import { performUpdate } from './update';

const ACTIONS = ['index', 'create', 'update', 'delete'];
const META_KEYS = ['_index', '_id', 'routing', '_routing', 'version', 'version_type', 'if_seq_no', 'if_primary_term', 'retry_on_conflict', 'require_alias', 'pipeline', 'dynamic_templates', '_source', '_type'];

interface BulkItem {
  action: string;
  meta: Record<string, unknown>;
  source?: string;
  line: number;
}

function tokenOf(v: unknown): string {
  if (Array.isArray(v)) return 'START_ARRAY';
  if (typeof v === 'string') return 'VALUE_STRING';
  if (typeof v === 'number') return 'VALUE_NUMBER';
  if (typeof v === 'boolean') return 'VALUE_BOOLEAN';
  return 'VALUE_NULL';
}

/** Splits the ndjson body into items, failing the whole request on malformed action lines like OpenSearch. */
export function parseBulk(text: string): BulkItem[] {
  const items: BulkItem[] = [];
  let pos = 0;
  let lineNo = 0;
  const nextLine = (): string | null => {
    if (pos >= text.length) return null;
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const l = text.slice(pos, end).replace(/\r$/, '');
    pos = end + 1;
    lineNo++;
    return l;
  };
  for (;;) {
    const line = nextLine();
    if (line === null) break;
    if (line.trim() === '') continue;
    const at = lineNo;
    let meta: unknown;
    try {
      meta = JSON.parse(line);
    } catch {
      throw new IllegalArgumentError(`Malformed action/metadata line [${at}], expected START_OBJECT or END_OBJECT but found [VALUE_STRING]`);
    }
    if (!isPlainObject(meta)) throw new IllegalArgumentError(`Malformed action/metadata line [${at}], expected START_OBJECT but found [${tokenOf(meta)}]`);
    const keys = Object.keys(meta);
    if (keys.length !== 1) throw new IllegalArgumentError(`Malformed action/metadata line [${at}], expected END_OBJECT but found [FIELD_NAME]`);
    const action = keys[0];
    if (!ACTIONS.includes(action)) throw new IllegalArgumentError(`Malformed action/metadata line [${at}], expected field [create], [delete], [index] or [update] but found [${action}]`);
    const m = meta[action];
    if (!isPlainObject(m)) throw new IllegalArgumentError(`Malformed action/metadata line [${at}], expected START_OBJECT but found [${tokenOf(m)}]`);
    for (const k of Object.keys(m)) if (!META_KEYS.includes(k)) throw new IllegalArgumentError(`Action/metadata line [${at}] contains an unknown parameter [${k}]`);
    const item: BulkItem = { action, meta: m, line: at };
    if (action !== 'delete') {
      const src = nextLine();
      if (src === null) throw new IllegalArgumentError(`The bulk request must be terminated by a newline [\\n]`);
      item.source = src;
    }
    items.push(item);
  }
  return items;
}

export function bulk(req: ApiRequest): ApiResponse {
  const started = process.hrtime.bigint();
  if (!req.hasBody) throw new ActionRequestValidationError(['no requests added']);
  if (!req.rawBody.endsWith('\n')) throw new IllegalArgumentError('The bulk request must be terminated by a newline [\\n]');
  const items = parseBulk(req.rawBody);
  if (items.length === 0) throw new ActionRequestValidationError(['no requests added']);
  const missingIndex = items.map((it, i) => (it.meta._index ?? req.params.index) === undefined ? `index is missing;${i}` : null).filter(Boolean);
  if (missingIndex.length) throw new ActionRequestValidationError(missingIndex.map(() => 'index is missing'));
  const touched = new Set<IndexEngine>();
  let errors = false;
  const results = items.map((it) => {
    const index = String(it.meta._index ?? req.params.index);
    const id = it.meta._id !== undefined ? String(it.meta._id) : undefined;
    const o: WriteOptions = {
      routing: (it.meta.routing ?? it.meta._routing ?? req.query.routing) as string | undefined,
      version: it.meta.version !== undefined ? Number(it.meta.version) : undefined,
      versionType: it.meta.version_type as string | undefined,
      ifSeqNo: it.meta.if_seq_no !== undefined ? Number(it.meta.if_seq_no) : undefined,
      ifPrimaryTerm: it.meta.if_primary_term !== undefined ? Number(it.meta.if_primary_term) : undefined,
    };
    try {
      if ((it.action === 'update' || it.action === 'delete') && id === undefined) throw new ActionRequestValidationError(['id is missing']);
      const e = it.action === 'delete' ? req.cluster.get(index) : req.cluster.forWrite(index);
      touched.add(e);
      let body: Record<string, unknown>;
      let status: number;
      if (it.action === 'delete') {
        const r = e.delete(id!, o);
        body = writeBody(e, r, false);
        status = r.status;
      } else if (it.action === 'update') {
        const u = performUpdate(e, id!, parseSourceDoc(it.source!), o);
        body = u.body;
        status = u.status;
      } else {
        const r = e.index(id, parseSourceDoc(it.source!), { ...o, opType: it.action === 'create' ? 'create' : o.opType }, it.source!.trim());
        body = writeBody(e, r, false);
        status = r.status;
      }
      return { [it.action]: { ...body, status } };
    } catch (err) {
      if (!(err instanceof OpenSearchError)) throw err;
      errors = true;
      return { [it.action]: { _index: index, _id: id ?? null, status: err.status, error: err.toXContent() } };
    }
  });
  try {
    applyRefresh(req, touched);
  } finally {
    for (const e of touched) e.flush();
  }
  return ok({ took: Number((process.hrtime.bigint() - started) / 1_000_000n), errors, items: results });
}
