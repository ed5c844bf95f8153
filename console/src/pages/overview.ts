/** Overview: the services' health, the fifteen metrics, the last orders. */
import { api, getJson, sagaArn, sfn } from '../aws';
import { fill, h, pill, table, time } from '../dom';
import { sparkline } from '../graph';
import { loadWidgets } from '../metrics';

const SERVICES = ['orders', 'catalog', 'inventory', 'payments', 'notifications'];

export function overview(root: HTMLElement): void {
  const health = h('div', { class: 'grid', id: 'health' }, 'Loading…');
  const orders = h('div', { id: 'last-orders' }, 'Loading…');
  const metrics = h('div', { class: 'grid', id: 'metrics' }, 'Loading…');
  root.append(h('h1', null, 'Overview'), h('h2', null, 'Health'), health, h('h2', null, 'Last orders'), orders, h('h2', null, 'Metrics (last hour, per minute)'), metrics);

  void fill(orders, async () => {
    const r = await sfn('ListExecutions', { stateMachineArn: await sagaArn(), maxResults: 10 });
    return table(
      ['order', 'saga', 'started', 'ended'],
      (r.executions as Array<{ name: string; status: string; startDate: number; stopDate?: number }>).map((x) => ({
        cells: [h('a', { href: `#/orders/${x.name}`, class: 'mono' }, x.name), pill(x.status), time(x.startDate), time(x.stopDate)],
        onclick: () => (location.hash = `#/orders/${x.name}`),
      })),
      'no orders yet',
    );
  });

  void fill(health, async () => {
    const [edge, ...apis] = await Promise.all([
      getJson<{ services: Record<string, string> }>('/_local/health').catch(() => ({ services: {} as Record<string, string> })),
      ...SERVICES.map((svc) => api(`/api/${svc}/health`).catch((err: Error) => ({ status: 0, body: { error: err.message }, ms: 0 }))),
    ]);
    const card = (name: string, ok: boolean, detail: string) => h('div', { class: 'card', 'data-health': name }, pill(ok ? 'up' : 'down', ok ? 'ok' : 'bad'), ' ', h('b', null, name), h('div', { class: 'small muted' }, detail));
    return [
      ...SERVICES.map((svc, i) => {
        const r = apis[i]!;
        const status = (r.body as { status?: string } | null)?.status;
        return card(svc, r.status === 200, `${r.status || 'no answer'}${status ? ` · ${status}` : ''} · ${Math.round(r.ms)} ms`);
      }),
      card('local cloud', Object.keys(edge.services).length > 0, `${Object.keys(edge.services).length} AWS services on the edge`),
    ];
  });

  void fill(metrics, async () =>
    (await loadWidgets()).map((d) =>
      h(
        'div',
        { class: 'card metric', 'data-metric': d.widget.title },
        h('div', { class: 't' }, d.widget.title),
        h('div', { class: 'v' }, d.value === undefined ? '–' : Number.isInteger(d.value) ? String(d.value) : d.value.toFixed(1), ' ', h('span', { class: 'small muted' }, d.widget.unit)),
        sparkline(d.points),
      ),
    ),
  );
}
