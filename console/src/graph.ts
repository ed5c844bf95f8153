/** SVG drawings: a state machine with the path an execution took, a service map, a sparkline. */
import { s } from './dom';
import { layered, layout, type Asl, type ExecutionPath } from './saga';

const W = 180;
const H = 30;
const GX = 40;
const GY = 22;

const COLORS = { succeeded: '#1f9d55', failed: '#d64545', running: '#2f6fd6', compensation: '#d98b1b', idle: '#c3c9d4' };

/**
 * The state machine as a graph: states in layers (longest path from StartAt), the states the
 * execution visited filled (green: succeeded, red: failed, orange: a compensation that ran, blue:
 * running), the transitions it took drawn thick. `compensations` names the compensating states.
 */
export function stateMachineGraph(asl: Asl, path: ExecutionPath | undefined, compensations: Set<string>, onSelect?: (state: string) => void): SVGElement {
  const l = layout(asl);
  const pos = new Map(l.nodes.map((n) => [n.name, { x: 10 + n.col * (W + GX), y: 10 + n.rank * (H + GY) }]));
  const width = 20 + l.cols * (W + GX) - GX;
  const height = 20 + l.ranks * (H + GY) - GY;
  const svg = s('svg', { class: 'graph', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'state machine graph' });
  svg.appendChild(s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' }, s('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#7a8396' }))));
  const takenSet = new Set(path?.taken.map((t) => `${t.from}\u0000${t.to}`));
  for (const e of l.edges) {
    const a = pos.get(e.from)!;
    const b = pos.get(e.to)!;
    const taken = takenSet.has(`${e.from}\u0000${e.to}`);
    const x1 = a.x + W / 2;
    const y1 = a.y + H;
    const x2 = b.x + W / 2;
    const y2 = b.y;
    const d = b.y > a.y ? `M${x1},${y1} C${x1},${y1 + GY} ${x2},${y2 - GY} ${x2},${y2}` : `M${a.x + W},${a.y + H / 2} C${a.x + W + GX},${a.y} ${b.x + W + GX},${b.y + H} ${b.x + W},${b.y + H / 2}`;
    svg.appendChild(
      s('path', {
        d,
        fill: 'none',
        stroke: taken ? '#1d2330' : '#b8bfcc',
        'stroke-width': taken ? 2.5 : 1,
        'stroke-dasharray': e.kind === 'catch' ? '5 3' : undefined,
        'marker-end': 'url(#arrow)',
        'data-edge': `${e.from}->${e.to}`,
        'data-taken': String(taken),
      }),
    );
  }
  const runs = new Map<string, ExecutionPath['steps'][number]>();
  for (const st of path?.steps ?? []) runs.set(st.name, st); // the last visit of each state
  for (const n of l.nodes) {
    const p = pos.get(n.name)!;
    const run = runs.get(n.name);
    const status = !run ? 'idle' : run.status === 'failed' ? 'failed' : run.status === 'running' ? 'running' : compensations.has(n.name) ? 'compensation' : 'succeeded';
    const shape = n.type === 'Choice' ? 14 : n.type === 'Succeed' || n.type === 'Fail' ? H / 2 : 4;
    const g = s('g', { 'data-state': n.name, 'data-status': status, transform: `translate(${p.x},${p.y})`, style: onSelect ? 'cursor:pointer' : undefined });
    g.appendChild(s('title', {}, `${n.name} (${n.type})${run?.error ? `: ${run.error}` : ''}`));
    g.appendChild(s('rect', { width: W, height: H, rx: shape, fill: status === 'idle' ? '#fff' : COLORS[status], stroke: status === 'idle' ? COLORS.idle : COLORS[status], 'stroke-width': 1.5 }));
    g.appendChild(s('text', { x: W / 2, y: H / 2 + 4, 'text-anchor': 'middle', fill: status === 'idle' ? '#6b7385' : '#fff', 'font-weight': run ? 600 : 400 }, n.name + (status === 'failed' ? ' ✕' : '')));
    if (onSelect) g.addEventListener('click', () => onSelect(n.name));
    svg.appendChild(g);
  }
  return svg;
}

/** X-Ray's service graph: one box per service (name and type), edges with their call counts. */
export function serviceMap(services: Array<{ ReferenceId: number; Name?: string; Type?: string; Edges?: Array<{ ReferenceId: number; SummaryStatistics?: { TotalCount?: number } }>; SummaryStatistics?: { TotalCount?: number; FaultStatistics?: { TotalCount?: number }; ErrorStatistics?: { TotalCount?: number } } }>): SVGElement {
  const ids = services.map((x) => String(x.ReferenceId));
  const edges = services.flatMap((x) => (x.Edges ?? []).map((e) => ({ from: String(x.ReferenceId), to: String(e.ReferenceId), n: e.SummaryStatistics?.TotalCount ?? 0 })));
  const targets = new Set(edges.map((e) => e.to));
  const roots = ids.filter((i) => !targets.has(i));
  const start = roots[0] ?? ids[0] ?? '';
  // several roots: a virtual start above them all
  const { rank, col } = layered('\u0000', ['\u0000', ...ids], [...roots.map((r) => ({ from: '\u0000', to: r })), ...edges]);
  void start;
  const bw = 200;
  const bh = 40;
  const cols = Math.max(1, ...ids.map((i) => col.get(i)! + 1));
  const ranks = Math.max(1, ...ids.map((i) => rank.get(i)!));
  const pos = (i: string) => ({ x: 10 + col.get(i)! * (bw + 30), y: 10 + (rank.get(i)! - 1) * (bh + 36) });
  const width = 20 + cols * (bw + 30);
  const height = 20 + ranks * (bh + 36);
  const svg = s('svg', { class: 'graph', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'service map' });
  for (const e of edges) {
    const a = pos(e.from);
    const b = pos(e.to);
    svg.appendChild(s('path', { d: `M${a.x + bw / 2},${a.y + bh} L${b.x + bw / 2},${b.y}`, stroke: '#9aa6bb', fill: 'none' }));
    svg.appendChild(s('text', { x: (a.x + b.x + bw) / 2 + 4, y: (a.y + bh + b.y) / 2, fill: '#6b7385' }, String(e.n)));
  }
  for (const x of services) {
    const p = pos(String(x.ReferenceId));
    const faults = (x.SummaryStatistics?.FaultStatistics?.TotalCount ?? 0) + (x.SummaryStatistics?.ErrorStatistics?.TotalCount ?? 0);
    const g = s('g', { transform: `translate(${p.x},${p.y})`, 'data-service': x.Name ?? '' });
    g.appendChild(s('rect', { width: bw, height: bh, rx: 6, fill: '#fff', stroke: faults ? '#d64545' : '#1f9d55', 'stroke-width': 1.5 }));
    g.appendChild(s('text', { x: 8, y: 16, 'font-weight': 600 }, (x.Name ?? '?').slice(0, 28)));
    g.appendChild(s('text', { x: 8, y: 32, fill: '#6b7385' }, `${x.Type ?? ''} · ${x.SummaryStatistics?.TotalCount ?? 0}${faults ? ` · ${faults} err` : ''}`.slice(0, 34)));
    svg.appendChild(g);
  }
  return svg;
}

/** A sparkline of (time, value) points. */
export function sparkline(points: Array<[number, number]>, color = '#2f6fd6'): SVGElement {
  const svg = s('svg', { viewBox: '0 0 200 46', preserveAspectRatio: 'none' });
  if (points.length === 0) {
    svg.appendChild(s('text', { x: 100, y: 28, 'text-anchor': 'middle', fill: '#9aa6bb', 'font-size': 11 }, 'no data'));
    return svg;
  }
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(0, ...ys), Math.max(...ys)];
  const X = (x: number) => (x1 === x0 ? 100 : ((x - x0) / (x1 - x0)) * 196 + 2);
  const Y = (y: number) => (y1 === y0 ? 23 : 44 - ((y - y0) / (y1 - y0)) * 40);
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join(' ');
  svg.appendChild(s('path', { d: `${d} L${X(x1)},46 L${X(x0)},46 z`, fill: color, opacity: 0.12 }));
  svg.appendChild(s('path', { d, fill: 'none', stroke: color, 'stroke-width': 1.5 }));
  if (points.length === 1) svg.appendChild(s('circle', { cx: X(points[0]![0]), cy: Y(points[0]![1]), r: 2.5, fill: color }));
  return svg;
}
