// Highlighting: re-analyses the hit's field values with offsets, wraps the query's terms for that field in
// pre/post tags, and cuts fragments (fragment_size, number_of_fragments, 0 = whole value, no_match_size).
import { isPlainObject } from '../util/json';
import type { ShardContext } from './context';
import type { HighlightTerms } from './queries/base';
import { valuesAt } from './source-filter';

export interface HighlightFieldSpec {
  pattern: string;
  preTags: string[];
  postTags: string[];
  fragmentSize: number;
  numberOfFragments: number;
  requireFieldMatch: boolean;
  noMatchSize: number;
  encoder: string;
  order: string;
}

export interface HighlightSpec {
  fields: HighlightFieldSpec[];
}

export function parseHighlight(v: unknown): HighlightSpec {
  if (!isPlainObject(v)) return { fields: [] };
  const global = v;
  const fieldsRaw = global.fields;
  const entries: [string, Record<string, unknown>][] = Array.isArray(fieldsRaw)
    ? fieldsRaw.flatMap((x) => (isPlainObject(x) ? Object.entries(x).map(([k, o]) => [k, (isPlainObject(o) ? o : {}) as Record<string, unknown>] as [string, Record<string, unknown>]) : []))
    : isPlainObject(fieldsRaw)
      ? Object.entries(fieldsRaw).map(([k, o]) => [k, (isPlainObject(o) ? o : {}) as Record<string, unknown>] as [string, Record<string, unknown>])
      : [];
  const pick = <T>(o: Record<string, unknown>, k: string, d: T): T => (o[k] !== undefined ? (o[k] as T) : global[k] !== undefined ? (global[k] as T) : d);
  return {
    fields: entries.map(([pattern, o]) => ({
      pattern,
      preTags: ([] as string[]).concat(pick(o, 'pre_tags', ['<em>'])),
      postTags: ([] as string[]).concat(pick(o, 'post_tags', ['</em>'])),
      fragmentSize: Number(pick(o, 'fragment_size', 100)),
      numberOfFragments: Number(pick(o, 'number_of_fragments', 5)),
      requireFieldMatch: pick<unknown>(o, 'require_field_match', true) !== false,
      noMatchSize: Number(pick(o, 'no_match_size', 0)),
      encoder: String(pick(o, 'encoder', 'default')),
      order: String(pick(o, 'order', 'none')),
    })),
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' })[c]!);

function mark(text: string, ranges: [number, number][], spec: HighlightFieldSpec, from: number, to: number): string {
  let out = '';
  let pos = from;
  const enc = spec.encoder === 'html' ? escapeHtml : (s: string) => s;
  for (const [s, e] of ranges) {
    if (e <= from || s >= to) continue;
    out += enc(text.slice(pos, s)) + spec.preTags[0] + enc(text.slice(s, e)) + spec.postTags[0];
    pos = e;
  }
  return out + enc(text.slice(pos, to));
}

/** Fragments of one value: windows of about fragment_size characters around matches, at word boundaries. */
function fragments(text: string, ranges: [number, number][], spec: HighlightFieldSpec): { text: string; score: number; start: number }[] {
  if (spec.numberOfFragments === 0 || text.length <= spec.fragmentSize) return [{ text: mark(text, ranges, spec, 0, text.length), score: ranges.length, start: 0 }];
  const out: { text: string; score: number; start: number }[] = [];
  let i = 0;
  while (i < ranges.length) {
    const [s] = ranges[i];
    let start = Math.max(0, s - Math.floor(spec.fragmentSize / 4));
    while (start > 0 && /\S/.test(text[start - 1])) start--;
    let end = Math.min(text.length, start + spec.fragmentSize);
    while (end < text.length && /\S/.test(text[end])) end++;
    let j = i;
    while (j < ranges.length && ranges[j][1] <= end) j++;
    if (j === i) {
      end = ranges[i][1];
      j = i + 1;
    }
    out.push({ text: mark(text, ranges, spec, start, end).trim(), score: j - i, start });
    i = j;
  }
  return out;
}

/** Highlights one hit; returns undefined when nothing matched. */
export function highlightHit(ctx: ShardContext, spec: HighlightSpec, source: Record<string, unknown>, terms: HighlightTerms): Record<string, string[]> | undefined {
  const out: Record<string, string[]> = {};
  const anyTerms = new Set<string>();
  for (const s of terms.values()) for (const t of s) anyTerms.add(t);
  for (const f of spec.fields) {
    const fields = ctx.resolveFields(f.pattern).filter((p) => {
      const k = ctx.info(p)?.kind;
      return k === 'text' || k === 'keyword';
    });
    for (const field of fields) {
      const info = ctx.info(field)!;
      const wanted = f.requireFieldMatch ? terms.get(field) : anyTerms;
      // Multi-fields (name.keyword) read their parent's value.
      let srcPath = field;
      if (valuesAt(source, srcPath).length === 0) {
        const parent = field.slice(0, field.lastIndexOf('.'));
        if (parent && ctx.info(parent)?.multiFields.some((m) => m.path === field)) srcPath = parent;
      }
      const vals = valuesAt(source, srcPath).map(String);
      const frags: { text: string; score: number; start: number }[] = [];
      if (wanted && wanted.size) {
        for (const v of vals) {
          let ranges: [number, number][] = [];
          if (info.kind === 'keyword') {
            const norm = info.normalizer ? info.normalizer(v) : v;
            if (wanted.has(norm)) ranges = [[0, v.length]];
          } else {
            for (const t of info.analyzer!.tokens(v)) if (wanted.has(t.term)) ranges.push([t.start, t.end]);
          }
          if (ranges.length) frags.push(...fragments(v, ranges, f));
        }
      }
      if (frags.length) {
        if (f.order === 'score') frags.sort((a, b) => b.score - a.score);
        out[field] = frags.slice(0, f.numberOfFragments === 0 ? frags.length : f.numberOfFragments).map((x) => x.text);
      } else if (f.noMatchSize > 0 && vals.length) {
        let end = Math.min(vals[0].length, f.noMatchSize);
        while (end < vals[0].length && /\S/.test(vals[0][end])) end++;
        out[field] = [vals[0].slice(0, end)];
      }
    }
  }
  return Object.keys(out).length ? out : undefined;
}
