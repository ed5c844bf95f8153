/** API: the OpenAPI document the local cloud serves, and requests sent with a key (through the console's proxy). */
import { api, getConfig } from '../aws';
import { append, h, ms, pretty } from '../dom';

interface Operation {
  summary?: string;
  description?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; description?: string }>;
  requestBody?: { content?: Record<string, { schema?: unknown; example?: unknown }> };
  security?: unknown[];
}
interface Doc {
  info?: { title?: string; version?: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export async function apiPage(root: HTMLElement): Promise<void> {
  const c = await getConfig();
  const key = h('input', { value: c.api_key, size: 48, id: 'api-key' });
  root.append(h('h1', null, 'API'), h('div', { class: 'row' }, h('label', null, 'API key ', key)));
  const res = await fetch(c.openapi);
  let doc: Doc | undefined;
  if (res.ok) doc = (await res.json()) as Doc;
  const console_ = h('div', { class: 'card', id: 'api-console' });
  const send = (method: string, path: string, op?: Operation) => {
    const params = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    const inputs = new Map(params.map((p) => [p, h('input', { placeholder: p, size: 30 })]));
    const query = h('input', { placeholder: 'query string, e.g. user_id=u1&limit=10', size: 50 });
    const example = op?.requestBody?.content?.['application/json']?.example;
    const body = h('textarea', { rows: 8, cols: 70, placeholder: 'JSON body' }) as HTMLTextAreaElement;
    if (example !== undefined) body.value = pretty(example);
    const out = h('div');
    console_.replaceChildren();
    append(console_, [
      h('h2', null, `${method.toUpperCase()} ${path}`),
      op?.summary ? h('p', null, op.summary) : null,
      h('div', { class: 'row' }, [...inputs.values()], query),
      method === 'get' || method === 'delete' ? null : body,
      h('div', null,
        h('button', {
          class: 'primary',
          onclick: async () => {
            const p = path.replace(/\{([^}]+)\}/g, (_, n: string) => encodeURIComponent(inputs.get(n)!.value));
            const r = await api(`${p}${query.value ? `?${query.value}` : ''}`, { method: method.toUpperCase(), body: body.value || undefined, key: key.value });
            out.replaceChildren(h('p', null, h('b', null, `HTTP ${r.status}`), ` · ${ms(r.ms)}`), h('pre', null, pretty(r.body)));
          },
        }, 'Send'),
      ),
      out,
    ]);
  };
  if (!doc) {
    root.append(
      h('p', { class: 'muted', id: 'no-openapi' }, `The local cloud serves no OpenAPI document yet (${c.openapi} answered ${res.status}). Requests can still be sent:`),
      h('div', { class: 'row' }, (() => {
        const m = h('select', null, METHODS.map((x) => h('option', { value: x }, x.toUpperCase())));
        const p = h('input', { value: '/api/orders/health', size: 50 });
        return [m, p, h('button', { onclick: () => send(m.value, p.value) }, 'Open')];
      })()),
      console_,
    );
    send('get', '/api/orders/health');
    return;
  }
  const ops = Object.entries(doc.paths ?? {}).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m) => ({ path, method: m, op: item[m]! })));
  root.append(
    h('p', { class: 'muted' }, `${doc.info?.title ?? 'API'} ${doc.info?.version ?? ''} · ${ops.length} operations · `, h('a', { href: c.openapi, target: '_blank' }, 'openapi.json')),
    h(
      'div',
      { class: 'split' },
      h('table', { id: 'operations' }, h('tbody', null, ops.map((o) => h('tr', { class: 'click', onclick: () => send(o.method, o.path, o.op) }, h('td', null, h('b', null, o.method.toUpperCase())), h('td', { class: 'mono' }, o.path), h('td', { class: 'small muted' }, o.op.summary ?? ''))))),
      console_,
    ),
  );
  if (ops[0]) send(ops[0].method, ops[0].path, ops[0].op);
}
