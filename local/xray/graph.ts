/**
 * GetServiceGraph: the services of the traces in a time range and the calls between them. A node
 * is a segment's service (name and origin) or a downstream node inferred from an `aws`/`remote`
 * subsegment; an edge goes from a segment's service to the service of a segment whose parent is
 * one of its (sub)segments, and from a segment's service to each node its subsegments call.
 * Statistics count requests as ok, error (4xx), fault (5xx) and throttle (429), with total
 * response time, as AWS reports them.
 */
import { walk, type SegmentDocument } from './segments';
import { inferredService, segmentService, type ServiceId, type TraceFacts } from './summary';

interface Stats {
  ok: number;
  error: number;
  throttle: number;
  fault: number;
  total: number;
  totalTime: number;
}

interface Node {
  id: ServiceId;
  refId: number;
  root: boolean;
  start: number;
  end: number;
  stats: Stats;
  edges: Map<number, { stats: Stats; start: number; end: number }>;
}

const key = (s: ServiceId) => `${s.Type}\u0000${s.Name}`;
const emptyStats = (): Stats => ({ ok: 0, error: 0, throttle: 0, fault: 0, total: 0, totalTime: 0 });

function count(st: Stats, s: SegmentDocument): void {
  st.total++;
  st.totalTime += (s.end_time ?? s.start_time) - s.start_time;
  if (s.fault) st.fault++;
  else if (s.throttle) st.throttle++;
  else if (s.error) st.error++;
  else st.ok++;
}

export function serviceGraph(traces: TraceFacts[], accountId: string): Record<string, unknown>[] {
  const nodes = new Map<string, Node>();
  const node = (id: ServiceId, s: SegmentDocument): Node => {
    let n = nodes.get(key(id));
    if (!n) {
      n = { id, refId: nodes.size, root: false, start: s.start_time, end: s.end_time ?? s.start_time, stats: emptyStats(), edges: new Map() };
      nodes.set(key(id), n);
    }
    n.start = Math.min(n.start, s.start_time);
    n.end = Math.max(n.end, s.end_time ?? s.start_time);
    return n;
  };
  const edge = (from: Node, to: Node, s: SegmentDocument) => {
    let e = from.edges.get(to.refId);
    if (!e) {
      e = { stats: emptyStats(), start: s.start_time, end: s.end_time ?? s.start_time };
      from.edges.set(to.refId, e);
    }
    e.start = Math.min(e.start, s.start_time);
    e.end = Math.max(e.end, s.end_time ?? s.start_time);
    count(e.stats, s);
  };
  for (const t of traces) {
    const ownerOf = new Map<string, Node>(); // (sub)segment id -> the node of its segment
    const segs = t.segments.filter((s) => s.type !== 'subsegment');
    for (const seg of segs) {
      const n = node(segmentService(seg, accountId), seg);
      count(n.stats, seg);
      walk(seg, (s) => ownerOf.set(s.id, n));
      walk(seg, (s) => {
        if (s === seg) return;
        const inferred = inferredService(s, accountId);
        if (!inferred) return;
        const d = node(inferred, s);
        count(d.stats, s);
        edge(n, d, s);
      });
    }
    for (const seg of segs) {
      const child = nodes.get(key(segmentService(seg, accountId)))!;
      const parent = seg.parent_id ? ownerOf.get(seg.parent_id) : undefined;
      if (parent && parent !== child) edge(parent, child, seg);
      else if (!parent) child.root = true;
    }
  }
  return [...nodes.values()].map((n) => ({
    ReferenceId: n.refId,
    Name: n.id.Name,
    Names: n.id.Names,
    Root: n.root,
    AccountId: n.id.AccountId,
    Type: n.id.Type,
    State: 'active',
    StartTime: n.start,
    EndTime: n.end,
    Edges: [...n.edges].map(([refId, e]) => ({
      ReferenceId: refId,
      StartTime: e.start,
      EndTime: e.end,
      SummaryStatistics: statistics(e.stats),
      ResponseTimeHistogram: [],
      Aliases: [],
    })),
    SummaryStatistics: statistics(n.stats),
    DurationHistogram: [],
    ResponseTimeHistogram: [],
  }));
}

function statistics(s: Stats): Record<string, unknown> {
  return {
    OkCount: s.ok,
    ErrorStatistics: { ThrottleCount: s.throttle, OtherCount: s.error, TotalCount: s.error + s.throttle },
    FaultStatistics: { OtherCount: s.fault, TotalCount: s.fault },
    TotalCount: s.total,
    TotalResponseTime: Math.round(s.totalTime * 1000) / 1000,
  };
}
