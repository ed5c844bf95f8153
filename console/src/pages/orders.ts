/** Orders: the saga's executions (one per order, named by its id), newest first; search by order or user. */
import { api, sagaArn, sfn } from '../aws';
import { fill, h, pill, time } from '../dom';

export function orders(root: HTMLElement, params: URLSearchParams): void {
  const status = params.get('status') ?? '';
  const user = params.get('user') ?? '';
  const list = h('div', { id: 'orders' }, 'Loading…');
  const q = h('input', { placeholder: 'order id (ord_…) or user id', size: 44, value: user, id: 'order-search' });
  const sel = h('select', { id: 'status-filter' }, ['', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'].map((x) => h('option', { value: x, selected: x === status }, x || 'any status')));
  const go = () => {
    const v = q.value.trim();
    if (v.startsWith('ord_')) location.hash = `#/orders/${v}`;
    else location.hash = `#/orders?${new URLSearchParams({ ...(v ? { user: v } : {}), ...(sel.value ? { status: sel.value } : {}) })}`;
  };
  q.addEventListener('keydown', (e) => (e as KeyboardEvent).key === 'Enter' && go());
  sel.addEventListener('change', go);
  root.append(h('h1', null, 'Orders'), h('div', { class: 'row' }, q, sel, h('button', { onclick: go }, 'Search')), list);
  let token: string | undefined;
  const rows: HTMLElement[] = [];
  const more = h('button', { style: 'margin-top:8px' }, 'More');

  const page = async () => {
    if (user) {
      const r = await api(`/api/orders?${new URLSearchParams({ user_id: user, limit: '50', ...(token ? { cursor: token } : {}) })}`);
      if (r.status !== 200) throw new Error(`Orders API: ${r.status} ${JSON.stringify(r.body)}`);
      token = r.body.next_cursor ?? undefined;
      return (r.body.items as Array<{ order_id: string; status: string; total: number; currency: string; created_at?: string; placed_at?: string }>).map((o) =>
        row(o.order_id, [h('a', { href: `#/orders/${o.order_id}`, class: 'mono' }, o.order_id), pill(o.status), `${o.total} ${o.currency}`, time(o.placed_at ?? o.created_at)]),
      );
    }
    const r = await sfn('ListExecutions', { stateMachineArn: await sagaArn(), maxResults: 50, statusFilter: status || undefined, nextToken: token });
    token = r.nextToken;
    return (r.executions as Array<{ name: string; status: string; startDate: number; stopDate?: number; redriveCount?: number }>).map((x) =>
      row(x.name, [h('a', { href: `#/orders/${x.name}`, class: 'mono' }, x.name), pill(x.status), time(x.startDate), time(x.stopDate), x.redriveCount ? `redriven ×${x.redriveCount}` : '']),
    );
  };
  const row = (id: string, cells: Array<Node | string>) => h('tr', { class: 'click', onclick: () => (location.hash = `#/orders/${id}`) }, cells.map((c) => h('td', null, c)));
  const tbody = h('tbody');
  const head = user ? ['order', 'status', 'total', 'placed'] : ['order', 'saga', 'started', 'ended', ''];
  void fill(list, async () => {
    rows.push(...(await page()));
    if (!rows.length) return h('p', { class: 'muted' }, 'no orders');
    tbody.append(...rows);
    more.onclick = async () => {
      more.disabled = true;
      tbody.append(...(await page()));
      more.disabled = false;
      if (!token) more.remove();
    };
    return [h('table', null, h('thead', null, h('tr', null, head.map((x) => h('th', null, x)))), tbody), token ? more : null];
  });
}
