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

  // marks for the bench (bench/console.bench.ts): when each part of the first page is shown
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
  }).then(() => performance.mark('console:last-orders'));

  // each service's card fills when its health check answers: a cold or slow one delays only itself
  const card = (name: string, ok: boolean, detail: string) => h('div', { class: 'card', 'data-health': name }, pill(ok ? 'up' : 'down', ok ? 'ok' : 'bad'), ' ', h('b', null, name), h('div', { class: 'small muted' }, detail));
  health.replaceChildren(
    ...SERVICES.map((svc) => {
      const slot = h('div', { class: 'card', 'data-health-pending': svc }, pill('…', 'idle'), ' ', h('b', null, svc));
      void api(`/api/${svc}/health`).then(
        (r) => {
          const status = (r.body as { status?: string } | null)?.status;
          slot.replaceWith(card(svc, r.status === 200, `${r.status}${status ? ` · ${status}` : ''} · ${Math.round(r.ms)} ms`));
        },
        (err: Error) => slot.replaceWith(card(svc, false, err.message)),
      );
      return slot;
    }),
  );
  void getJson<{ services: Record<string, string> }>('/_local/health').then(
    (edge) => health.append(card('local cloud', Object.keys(edge.services).length > 0, `${Object.keys(edge.services).length} services on the edge`)),
    () => health.append(card('local cloud', false, 'the edge did not answer')),
  );

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
  ).then(() => performance.mark('console:metrics'));
}
