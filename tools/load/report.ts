/**
 * The run's report: one JSON document, and one self-contained HTML page (inline SVG, no script,
 * no CDN) with latency over time, requests by status and the invariants.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { InvariantReport } from './invariants';
import type { LoadPhaseResult } from './runner';
import type { Fixture, Scenario } from './scenarios';
import { summarize, timeline, type RequestSummary, type TimelinePoint } from './stats';

export interface LoadReport {
  kind: 'load' | 'chaos';
  scenario: Scenario;
  /** the chaos scenario, when one ran */
  fault?: string;
  started_at: string;
  finished_at: string;
  options: { rate: number; duration_s: number; products: number; start_stock: number; settle_s: number };
  run_id: string;
  target: { api_url: string };
  requests: RequestSummary;
  /** orders accepted (202) per second of the load phase */
  orders_per_s: number;
  timeline: TimelinePoint[];
  faults: LoadPhaseResult['faults'];
  invariants: InvariantReport;
}

export function buildReport(input: {
  kind: LoadReport['kind'];
  scenario: Scenario;
  fault?: string;
  startedAt: Date;
  rate: number;
  settleMs: number;
  fixture: Fixture;
  apiUrl: string;
  load: LoadPhaseResult;
  invariants: InvariantReport;
}): LoadReport {
  const { load } = input;
  return {
    kind: input.kind,
    scenario: input.scenario,
    ...(input.fault ? { fault: input.fault } : {}),
    started_at: input.startedAt.toISOString(),
    finished_at: new Date().toISOString(),
    options: {
      rate: input.rate,
      duration_s: load.durationMs / 1000,
      products: input.fixture.products.length,
      start_stock: input.fixture.products[0]?.start_stock ?? 0,
      settle_s: input.settleMs / 1000,
    },
    run_id: input.fixture.run_id,
    target: { api_url: input.apiUrl },
    requests: summarize(load.records, load.durationMs),
    orders_per_s: Math.round((load.accepted.length / Math.max(1, load.durationMs / 1000)) * 10) / 10,
    timeline: timeline(load.records, load.durationMs),
    faults: load.faults,
    invariants: input.invariants,
  };
}

/** Writes report.json and report.html into `dir`; resolves their paths. */
export function writeReport(report: LoadReport, dir: string): { json: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const json = path.join(dir, 'report.json');
  const html = path.join(dir, 'report.html');
  writeFileSync(json, JSON.stringify(report, null, 2) + '\n');
  writeFileSync(html, renderHtml(report));
  return { json, html };
}

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const CLASS_COLOURS: Record<string, string> = { '2xx': '#2e7d32', '3xx': '#607d8b', '4xx': '#f9a825', '5xx': '#c62828' };
const colour = (k: string) => CLASS_COLOURS[k] ?? '#6a1b9a';

function latencyChart(points: TimelinePoint[], faults: LoadReport['faults']): string {
  const W = 900, H = 260, L = 56, B = 28, T = 12, R = 90;
  const max = Math.max(1, ...points.map((p) => p.p99));
  const x = (t: number) => L + ((W - L - R) * t) / Math.max(1, points.length - 1);
  const y = (v: number) => T + (H - T - B) * (1 - v / max);
  const line = (key: 'p50' | 'p95' | 'p99', c: string) =>
    `<polyline fill="none" stroke="${c}" stroke-width="1.6" points="${points.filter((p) => p.count).map((p) => `${x(p.t).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ')}"/>` +
    `<text x="${W - R + 8}" y="${y(points[points.length - 1]?.[key] ?? 0) + 4}" fill="${c}" font-size="12">${key}</text>`;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => `<line x1="${L}" x2="${W - R}" y1="${y(max * f)}" y2="${y(max * f)}" stroke="#eee"/><text x="${L - 6}" y="${y(max * f) + 4}" text-anchor="end" font-size="11">${Math.round(max * f)} ms</text>`);
  const xt = points.filter((p) => p.t % Math.max(1, Math.ceil(points.length / 10)) === 0).map((p) => `<text x="${x(p.t)}" y="${H - 8}" text-anchor="middle" font-size="11">${p.t}s</text>`);
  const marks = faults.map((f) => `<line x1="${x(f.at_s)}" x2="${x(f.at_s)}" y1="${T}" y2="${H - B}" stroke="#6a1b9a" stroke-dasharray="4 3"/><text x="${x(f.at_s) + 4}" y="${T + 10}" font-size="11" fill="#6a1b9a">${esc(f.name)}</text>`);
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="latency over time">${ticks.join('')}${xt.join('')}${marks.join('')}${line('p50', '#1565c0')}${line('p95', '#ef6c00')}${line('p99', '#c62828')}</svg>`;
}

function statusChart(points: TimelinePoint[]): string {
  const W = 900, H = 180, L = 56, B = 28, T = 8, R = 90;
  const classes = [...new Set(points.flatMap((p) => Object.keys(p.by_class)))].sort();
  const max = Math.max(1, ...points.map((p) => Object.values(p.by_class).reduce((a, b) => a + b, 0)));
  const bw = (W - L - R) / Math.max(1, points.length);
  const bars = points.flatMap((p) => {
    let acc = 0;
    return classes.map((k) => {
      const n = p.by_class[k] ?? 0;
      const h = ((H - T - B) * n) / max;
      acc += h;
      return n ? `<rect x="${(L + p.t * bw).toFixed(1)}" y="${(H - B - acc).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${colour(k)}"><title>${p.t}s ${k}: ${n}</title></rect>` : '';
    });
  });
  const legend = classes.map((k, i) => `<rect x="${W - R + 8}" y="${T + i * 16}" width="10" height="10" fill="${colour(k)}"/><text x="${W - R + 22}" y="${T + i * 16 + 9}" font-size="11">${esc(k)}</text>`);
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="requests by status per second"><text x="${L - 6}" y="${T + 10}" text-anchor="end" font-size="11">${max}/s</text>${bars.join('')}${legend.join('')}</svg>`;
}

export function renderHtml(r: LoadReport): string {
  const lat = r.requests.latency_ms;
  const title = `${r.kind === 'chaos' ? `Chaos: ${r.fault}` : `Load: ${r.scenario}`} at ${r.options.rate}/s for ${r.options.duration_s}s`;
  const statusRows = Object.entries(r.requests.by_status).map(([k, n]) => `<tr><td>${esc(k)}</td><td>${n}</td></tr>`).join('');
  const opRows = Object.entries(r.requests.by_op)
    .map(([op, s]) => `<tr><td>${esc(op)}</td><td>${s.count}</td><td>${s.p50}</td><td>${s.p95}</td><td>${s.p99}</td><td>${esc(Object.entries(s.by_status).map(([k, n]) => `${k}: ${n}`).join(', '))}</td></tr>`)
    .join('');
  const invRows = r.invariants.checks
    .map((c) => `<tr class="${c.ok ? 'ok' : 'bad'}"><td>${c.ok ? '✔' : '✘'} ${esc(c.name)}</td><td>${esc(c.detail)}${c.violations.length ? `<pre>${esc(JSON.stringify(c.violations, null, 1))}</pre>` : ''}</td></tr>`)
    .join('');
  const o = r.invariants.orders;
  const faults = r.faults.length ? `<p>Faults: ${r.faults.map((f) => `${esc(f.name)} at ${f.at_s}s${f.error ? ` (failed: ${esc(f.error)})` : ''}`).join('; ')}</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;max-width:960px;margin:16px auto;color:#222}
h1{font-size:20px}h2{font-size:16px;margin-top:20px}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
.ok td:first-child{color:#2e7d32}.bad td:first-child{color:#c62828;font-weight:bold}
.verdict{font-size:18px;padding:6px 10px;display:inline-block;color:#fff;background:${r.invariants.ok ? '#2e7d32' : '#c62828'}}
pre{max-height:160px;overflow:auto;font-size:11px;margin:4px 0}
.figs td:first-child{font-weight:bold}
</style></head><body>
<h1>${esc(title)}</h1>
<p class="verdict">${r.invariants.ok ? 'Invariants hold: nothing lost, nothing oversold' : 'Invariants VIOLATED'}</p>
<p>Run ${esc(r.run_id)} against ${esc(r.target.api_url)}, ${esc(r.started_at)} to ${esc(r.finished_at)}; ${r.options.products} products of ${r.options.start_stock} units.</p>
${faults}
<table class="figs">
<tr><td>requests</td><td>${r.requests.sent} sent (${r.requests.rate_sent}/s), ${r.requests.answered} answered</td></tr>
<tr><td>latency</td><td>p50 ${lat.p50} ms · p95 ${lat.p95} ms · p99 ${lat.p99} ms · max ${lat.max} ms</td></tr>
<tr><td>orders</td><td>${o.accepted} accepted (${r.orders_per_s}/s), ${o.completed} completed, ${o.cancelled} cancelled ${esc(JSON.stringify(o.cancel_reasons))}, ${o.open} open, ${o.lost} lost, ${o.found_unacknowledged} placed without an answer; settled after ${o.settled_after_s ?? '—'} s</td></tr>
</table>
<h2>Latency over time (by send second)</h2>
${latencyChart(r.timeline, r.faults)}
<h2>Requests by status per second</h2>
${statusChart(r.timeline)}
<h2>Requests by status</h2>
<table><tr><th>status</th><th>count</th></tr>${statusRows}</table>
<h2>By operation (ms)</h2>
<table><tr><th>operation</th><th>answered</th><th>p50</th><th>p95</th><th>p99</th><th>statuses</th></tr>${opRows}</table>
<h2>Invariants</h2>
<table>${invRows}</table>
</body></html>
`;
}
