/**
 * Traces: X-Ray's GetTraceSummaries with a filter expression built from the form (order id
 * annotation, service, errors), a trace's waterfall (BatchGetTraces), the service map (GetServiceGraph).
 */
import { xray } from '../aws';
import { errorBox, fill, h, ms, pill, pretty, table, time } from '../dom';
import { serviceMap } from '../graph';
import { filterExpression } from '../saga';

interface Doc {
  id: string;
  name: string;
  start_time: number;
  end_time?: number;
  origin?: string;
  namespace?: string;
  error?: boolean;
  fault?: boolean;
  throttle?: boolean;
  annotations?: Record<string, unknown>;
  aws?: Record<string, unknown>;
  http?: unknown;
  cause?: unknown;
  subsegments?: Doc[];
}

export function traces(root: HTMLElement, params: URLSearchParams): void {
  const order = params.get('order') ?? '';
  const service = params.get('service') ?? '';
  const errors = params.get('errors') === '1';
  const id = params.get('id');
  const f = {
    order: h('input', { placeholder: 'order id', value: order, size: 40, id: 'trace-order' }),
    service: h('input', { placeholder: 'service name', value: service, size: 28 }),
    errors: h('input', { type: 'checkbox', checked: errors }),
  };
  const go = () =>
    (location.hash = `#/traces?${new URLSearchParams({ ...(f.order.value ? { order: f.order.value.trim() } : {}), ...(f.service.value ? { service: f.service.value.trim() } : {}), ...(f.errors.checked ? { errors: '1' } : {}) })}`);
  const expr = filterExpression({ order, service, errors });
  const list = h('div', { id: 'trace-list' }, 'Loading…');
  const one = h('div', { id: 'waterfall' });
  const map = h('div', { id: 'service-map', style: 'overflow:auto' }, 'Loading…');
  root.append(
    h('h1', null, 'Traces'),
    h('div', { class: 'row' }, f.order, f.service, h('label', null, f.errors, ' errors and faults only'), h('button', { class: 'primary', onclick: go }, 'Search')),
    h('p', { class: 'small muted' }, 'Filter expression: ', h('code', null, expr ?? '(none)'), ' · last 60 minutes'),
    list,
    one,
    h('h2', null, 'Service map (last 60 minutes)'),
    map,
  );
  // the last trace asked for wins, whatever order the answers come in
  let asked = 0;
  const openTrace = (traceId: string) => {
    const mine = ++asked;
    void waterfall(traceId).then(
      (el) => mine === asked && one.replaceChildren(el),
      (err: unknown) => mine === asked && one.replaceChildren(errorBox(err)),
    );
  };
  const window = { StartTime: Math.floor(Date.now() / 1000) - 3600, EndTime: Math.ceil(Date.now() / 1000) + 60 };
  void fill(list, async () => {
    const r = await xray('/TraceSummaries', { ...window, FilterExpression: expr, Sampling: false });
    const sums = (r.TraceSummaries ?? []) as Array<{ Id: string; Duration?: number; HasFault?: boolean; HasError?: boolean; EntryPoint?: { Name?: string }; ServiceIds?: Array<{ Name?: string }>; StartTime?: number }>;
    // opened at once: the one asked for, else the widest (an order's saga crosses the most services)
    const widest = [...sums].sort((a, b) => (b.ServiceIds?.length ?? 0) - (a.ServiceIds?.length ?? 0))[0];
    if (id || widest) openTrace(id ?? widest!.Id);
    return table(
      ['trace', 'entry', 'services', 'duration', ''],
      sums.slice(0, 50).map((t) => ({
        cells: [h('span', { class: 'mono' }, t.Id), t.EntryPoint?.Name ?? '', String(t.ServiceIds?.length ?? 0), ms((t.Duration ?? 0) * 1000), t.HasFault ? pill('fault') : t.HasError ? pill('error') : pill('ok')],
        onclick: () => openTrace(t.Id),
        attrs: { 'data-trace': t.Id },
      })),
      'no traces match',
    );
  });
  void fill(map, async () => {
    const g = await xray('/ServiceGraph', window);
    return g.Services?.length ? serviceMap(g.Services) : h('p', { class: 'muted' }, 'no services yet');
  });
}

async function waterfall(traceId: string): Promise<HTMLElement> {
  const r = await xray('/Traces', { TraceIds: [traceId] });
  const t = r.Traces?.[0];
  if (!t) return h('p', { class: 'muted' }, `trace ${traceId} not found`);
  const docs = (t.Segments as Array<{ Document: string }>).map((s) => JSON.parse(s.Document) as Doc);
  const rows: Array<{ d: Doc; depth: number }> = [];
  const visit = (d: Doc, depth: number) => {
    rows.push({ d, depth });
    for (const s of [...(d.subsegments ?? [])].sort((a, b) => a.start_time - b.start_time)) visit(s, depth + 1);
  };
  // segments under the subsegment that called them (parent_id), roots first
  const byParent = new Map<string, Doc[]>();
  const ids = new Set<string>();
  const collect = (d: Doc) => {
    ids.add(d.id);
    d.subsegments?.forEach(collect);
  };
  docs.forEach(collect);
  const roots: Doc[] = [];
  for (const d of docs) {
    const p = (d as unknown as { parent_id?: string }).parent_id;
    if (p && ids.has(p)) (byParent.get(p) ?? byParent.set(p, []).get(p)!).push(d);
    else roots.push(d);
  }
  const attach = (d: Doc) => {
    const kids = byParent.get(d.id) ?? [];
    d.subsegments = [...(d.subsegments ?? []), ...kids];
    d.subsegments.forEach(attach);
  };
  roots.forEach(attach);
  roots.sort((a, b) => a.start_time - b.start_time).forEach((d) => visit(d, 0));
  const t0 = Math.min(...rows.map((r) => r.d.start_time));
  const t1 = Math.max(...rows.map((r) => r.d.end_time ?? r.d.start_time));
  const span = Math.max(t1 - t0, 0.001);
  return h(
    'div',
    { class: 'card' },
    h('h2', null, 'Trace ', h('span', { class: 'mono', id: 'trace-id' }, traceId), ` · ${ms(span * 1000)} · ${time(t0)}`),
    h(
      'table',
      { class: 'waterfall' },
      h(
        'tbody',
        null,
        rows.map(({ d, depth }) =>
          h(
            'tr',
            { 'data-segment': d.name, 'data-origin': d.origin ?? '' },
            h('td', { style: `padding-left:${8 + depth * 14}px; white-space:nowrap` }, h('b', null, d.name), d.origin ? h('span', { class: 'small muted' }, ` ${d.origin}`) : ''),
            h('td', { style: 'width:55%' }, h('div', { style: `margin-left:${(((d.start_time - t0) / span) * 100).toFixed(2)}%; width:${((((d.end_time ?? t1) - d.start_time) / span) * 100).toFixed(2)}%`, class: `bar ${d.fault ? 'fault' : d.error ? 'error' : ''}`, title: ms(((d.end_time ?? t1) - d.start_time) * 1000) })),
            h('td', { class: 'small' }, ms(((d.end_time ?? t1) - d.start_time) * 1000)),
            h('td', null, d.annotations || d.cause ? h('details', null, h('summary', null, 'details'), h('pre', null, pretty({ annotations: d.annotations, aws: d.aws, cause: d.cause }))) : ''),
          ),
        ),
      ),
    ),
  );
}
