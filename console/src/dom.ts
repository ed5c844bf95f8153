/** A few DOM helpers: the console needs no UI framework for a handful of pages. */

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;

/** Creates an element: `h('div', { class: 'card', onclick: fn }, 'text', child)`. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (k === 'value' && 'value' in el) (el as HTMLInputElement).value = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children.flat(4 as 1) as Child[]) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

const SVG = 'http://www.w3.org/2000/svg';
export function s(tag: string, attrs: Record<string, string | number | undefined> = {}, ...children: Array<Node | string>): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

export const pill = (text: string, cls = text) => h('span', { class: `pill ${cls}` }, text);

export function table(headers: string[], rows: Array<{ cells: Child[]; onclick?: () => void; attrs?: Attrs }>, empty = 'nothing yet'): HTMLElement {
  if (!rows.length) return h('p', { class: 'muted' }, empty);
  return h(
    'table',
    null,
    h('thead', null, h('tr', null, headers.map((x) => h('th', null, x)))),
    h('tbody', null, rows.map((r) => h('tr', { class: r.onclick ? 'click' : null, onclick: r.onclick, ...r.attrs }, r.cells.map((c) => h('td', null, c))))),
  );
}

export const pretty = (v: unknown): string => {
  if (typeof v === 'string') {
    try {
      return JSON.stringify(JSON.parse(v), null, 2);
    } catch {
      return v;
    }
  }
  return JSON.stringify(v, null, 2);
};

export const time = (d: number | string | Date | undefined): string => {
  if (d === undefined) return '';
  const date = typeof d === 'number' ? new Date(d < 1e12 ? d * 1000 : d) : new Date(d);
  return date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
};

export const ms = (n: number): string => (n < 1 ? `${n.toFixed(2)} ms` : n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(2)} s`);

export const errorBox = (err: unknown) => h('p', { class: 'err' }, `⚠ ${(err as Error).message ?? String(err)}`);

/** Renders into `el` what `load` resolves, with its error in place of a blank. */
export async function fill(el: HTMLElement, load: () => Promise<Child>): Promise<void> {
  try {
    const out = await load();
    el.replaceChildren();
    append(el, [out]);
  } catch (err) {
    el.replaceChildren(errorBox(err));
  }
}
