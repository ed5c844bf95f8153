/**
 * The query protocol's request encoding: a form whose keys flatten structures with dots
 * (`Attributes.entry.1.key`, `MessageAttributes.entry.2.Value.DataType`, `Topics.member.3`).
 * `parseForm` keeps the flat map; the helpers below rebuild the lists and maps an operation
 * reads. Indexes are 1-based and may have gaps; order follows the index.
 */
export type Form = Map<string, string>;

export function parseForm(body: string): Form {
  const out: Form = new Map();
  for (const [k, v] of new URLSearchParams(body)) out.set(k, v);
  return out;
}

/** `Prefix.member.N` (or `Prefix.N` when `member` is empty) => values in index order. */
export function formList(form: Form, prefix: string, member = 'member'): string[] {
  const head = member ? `${prefix}.${member}.` : `${prefix}.`;
  const items: Array<[number, string]> = [];
  for (const [k, v] of form) {
    if (!k.startsWith(head)) continue;
    const rest = k.slice(head.length);
    if (/^\d+$/.test(rest)) items.push([Number(rest), v]);
  }
  return items.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** Sub-forms of a list of structures: `Prefix.member.N.Field` => one Form per N, keys relative. */
export function formStructList(form: Form, prefix: string, member = 'member'): Form[] {
  const head = member ? `${prefix}.${member}.` : `${prefix}.`;
  const byIndex = new Map<number, Form>();
  for (const [k, v] of form) {
    if (!k.startsWith(head)) continue;
    const rest = k.slice(head.length);
    const dot = rest.indexOf('.');
    if (dot <= 0) continue;
    const idx = Number(rest.slice(0, dot));
    if (!Number.isInteger(idx)) continue;
    let sub = byIndex.get(idx);
    if (!sub) byIndex.set(idx, (sub = new Map()));
    sub.set(rest.slice(dot + 1), v);
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, f]) => f);
}

/** A sub-form under `Prefix.` (keys relative). */
export function subForm(form: Form, prefix: string): Form {
  const head = `${prefix}.`;
  const out: Form = new Map();
  for (const [k, v] of form) if (k.startsWith(head)) out.set(k.slice(head.length), v);
  return out;
}

/** A map of strings: `Prefix.entry.N.key` / `.value` (names configurable). */
export function formStringMap(form: Form, prefix: string, keyName = 'key', valueName = 'value', entry = 'entry'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of formStructList(form, prefix, entry)) {
    const k = e.get(keyName);
    if (k !== undefined) out[k] = e.get(valueName) ?? '';
  }
  return out;
}
