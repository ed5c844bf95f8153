// Cluster-level endpoints: GET / (node and version info the client's product check accepts), GET _cluster/health,
// GET _cat/indices and _cat/health.
import { CLUSTER_NAME, CLUSTER_UUID } from '../cluster';
import { ApiRequest, ApiResponse, ok } from './request';

export const VERSION = {
  distribution: 'opensearch',
  number: '2.19.1',
  build_type: 'tar',
  build_hash: '2e4741fb45d1b150aaeeadf66d41445b23ff5982',
  build_date: '2025-02-27T01:22:24.665339607Z',
  build_snapshot: false,
  lucene_version: '9.12.1',
  minimum_wire_compatibility_version: '7.10.0',
  minimum_index_compatibility_version: '7.0.0',
};

export function rootInfo(): ApiResponse {
  return ok({
    name: 'opensearch-local-node',
    cluster_name: CLUSTER_NAME,
    cluster_uuid: CLUSTER_UUID,
    version: VERSION,
    tagline: 'The OpenSearch Project: https://opensearch.org/',
  });
}

const RANK: Record<string, number> = { green: 0, yellow: 1, red: 2 };

export function clusterHealth(req: ApiRequest): ApiResponse {
  const engines = req.cluster.resolve(req.params.index, { ignoreUnavailable: true });
  const missing = req.params.index !== undefined && engines.length === 0;
  let primaries = 0;
  let unassigned = 0;
  for (const e of engines) {
    primaries += e.numberOfShards;
    unassigned += e.numberOfShards * e.numberOfReplicas;
  }
  const status = missing ? 'red' : unassigned > 0 ? 'yellow' : 'green';
  const wanted = req.query.wait_for_status;
  const timedOut = (wanted !== undefined && RANK[status] > (RANK[wanted] ?? 0)) || missing;
  const body = {
    cluster_name: CLUSTER_NAME,
    status,
    timed_out: timedOut,
    number_of_nodes: 1,
    number_of_data_nodes: 1,
    discovered_master: true,
    discovered_cluster_manager: true,
    active_primary_shards: primaries,
    active_shards: primaries,
    relocating_shards: 0,
    initializing_shards: 0,
    unassigned_shards: unassigned,
    delayed_unassigned_shards: 0,
    number_of_pending_tasks: 0,
    number_of_in_flight_fetch: 0,
    task_max_waiting_in_queue_millis: 0,
    active_shards_percent_as_number: primaries + unassigned === 0 ? 100.0 : (primaries / (primaries + unassigned)) * 100,
  };
  // OpenSearch answers 408 when a wait_for_* condition was not met within the timeout; nothing here can change
  // while we wait, so we answer at once instead of sleeping through the timeout.
  return ok(body, timedOut ? 408 : 200);
}

function table(req: ApiRequest, rows: Record<string, string>[], cols: string[]): ApiResponse {
  if (req.query.format === 'json') return ok(rows);
  const widths = cols.map((c) => Math.max(req.bool('v') ? c.length : 0, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i])).join(' ').trimEnd() + '\n';
  let text = req.bool('v') ? line(cols) : '';
  for (const r of rows) text += line(cols.map((c) => r[c] ?? ''));
  return { status: 200, text };
}

export function catIndices(req: ApiRequest): ApiResponse {
  const rows = req.cluster.resolve(req.params.index, { ignoreUnavailable: true }).map((e) => ({
    health: e.numberOfReplicas > 0 ? 'yellow' : 'green',
    status: 'open',
    index: e.name,
    uuid: e.uuid,
    pri: String(e.numberOfShards),
    rep: String(e.numberOfReplicas),
    'docs.count': String(e.docCount),
    'docs.deleted': String(e.deadOrds),
    'store.size': '0b',
    'pri.store.size': '0b',
  }));
  return table(req, rows, ['health', 'status', 'index', 'uuid', 'pri', 'rep', 'docs.count', 'docs.deleted', 'store.size', 'pri.store.size']);
}

export function catHealth(req: ApiRequest): ApiResponse {
  const h = clusterHealth(req).body as Record<string, unknown>;
  const now = Date.now();
  const rows = [
    {
      epoch: String(Math.floor(now / 1000)),
      timestamp: new Date(now).toISOString().slice(11, 19),
      cluster: CLUSTER_NAME,
      status: String(h.status),
      'node.total': '1',
      'node.data': '1',
      shards: String(h.active_shards),
      pri: String(h.active_primary_shards),
      relo: '0',
      init: '0',
      unassign: String(h.unassigned_shards),
    },
  ];
  return table(req, rows, Object.keys(rows[0]));
}
