// Index management endpoints: create (settings + mappings), delete, exists, get, get/put mapping,
// get/put settings, refresh.
import { IndexNotFoundError, MapperParsingError } from '../errors';
import { flattenSettings, nestSettings, validateSettings } from '../engine/settings';
import { isPlainObject } from '../util/json';
import { ApiRequest, ApiResponse, ok } from './request';

export function createIndex(req: ApiRequest): ApiResponse {
  const body = req.jsonObject();
  const e = req.cluster.createIndex(req.params.index, body);
  return ok({ acknowledged: true, shards_acknowledged: true, index: e.name });
}

export function deleteIndex(req: ApiRequest): ApiResponse {
  req.cluster.deleteIndex(req.params.index, req.bool('ignore_unavailable'));
  return ok({ acknowledged: true });
}

export function indexExists(req: ApiRequest): ApiResponse {
  const found = req.cluster.resolve(req.params.index, { ignoreUnavailable: true, allowNoIndices: true });
  const concrete = req.params.index.split(',').every((n) => n.includes('*') || req.cluster.indices.has(n));
  return { status: found.length && concrete ? 200 : 404 };
}

function settingsOf(e: ReturnType<ApiRequest['cluster']['get']>): Record<string, unknown> {
  return nestSettings(e.settingsView());
}

export function getIndex(req: ApiRequest): ApiResponse {
  const out: Record<string, unknown> = {};
  for (const e of req.cluster.resolve(req.params.index, { ignoreUnavailable: req.bool('ignore_unavailable') })) {
    out[e.name] = { aliases: {}, mappings: e.mapping.toJSON(), settings: settingsOf(e) };
  }
  return ok(out);
}

export function getMapping(req: ApiRequest): ApiResponse {
  const out: Record<string, unknown> = {};
  for (const e of req.cluster.resolve(req.params.index, { ignoreUnavailable: req.bool('ignore_unavailable') })) out[e.name] = { mappings: e.mapping.toJSON() };
  return ok(out);
}

export function putMapping(req: ApiRequest): ApiResponse {
  const body = req.jsonObject();
  if (!body) throw new MapperParsingError('Root mapping definition has unsupported parameters:  []');
  const engines = req.cluster.resolve(req.params.index);
  if (engines.length === 0) throw new IndexNotFoundError(req.params.index);
  for (const e of engines) {
    e.mapping.merge(body);
    e.markMetaDirty();
    e.flush();
  }
  return ok({ acknowledged: true });
}

export function getSettings(req: ApiRequest): ApiResponse {
  const out: Record<string, unknown> = {};
  for (const e of req.cluster.resolve(req.params.index, { ignoreUnavailable: req.bool('ignore_unavailable') })) out[e.name] = { settings: settingsOf(e) };
  return ok(out);
}

export function putSettings(req: ApiRequest): ApiResponse {
  const body = req.jsonObject() ?? {};
  const s = flattenSettings(isPlainObject(body.settings) ? body.settings : body);
  validateSettings(s, true);
  for (const e of req.cluster.resolve(req.params.index)) {
    e.updateSettings(s);
    e.flush();
  }
  return ok({ acknowledged: true });
}

export function refresh(req: ApiRequest): ApiResponse {
  const engines = req.cluster.resolve(req.params.index, { ignoreUnavailable: req.bool('ignore_unavailable') });
  let shards = 0;
  for (const e of engines) {
    e.refresh();
    shards += e.numberOfShards * (1 + e.numberOfReplicas);
  }
  const ok2 = engines.reduce((n, e) => n + e.numberOfShards, 0);
  return ok({ _shards: { total: shards, successful: ok2, failed: 0 } });
}
