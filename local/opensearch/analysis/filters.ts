// Token filters applied after a tokenizer (lowercase, asciifolding, stop, ngrams, synonyms, a light stemmer).
import type { Token } from './tokenizers';

export type TokenFilter = (tokens: Token[]) => Token[];

export const ENGLISH_STOPWORDS = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(' '),
);

export const lowercaseFilter: TokenFilter = (ts) => {
  for (const t of ts) t.term = t.term.toLowerCase();
  return ts;
};
export const uppercaseFilter: TokenFilter = (ts) => {
  for (const t of ts) t.term = t.term.toUpperCase();
  return ts;
};

const FOLD_SPECIAL: Record<string, string> = { ß: 'ss', æ: 'ae', Æ: 'AE', ø: 'o', Ø: 'O', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', œ: 'oe', Œ: 'OE', þ: 'th' };
export function foldAscii(s: string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[ßæÆøØłŁđĐœŒþ]/g, (c) => FOLD_SPECIAL[c] ?? c);
}
export const asciiFoldingFilter: TokenFilter = (ts) => {
  for (const t of ts) t.term = foldAscii(t.term);
  return ts;
};
export const trimFilter: TokenFilter = (ts) => {
  for (const t of ts) t.term = t.term.trim();
  return ts;
};

export function stopFilter(words: Set<string>): TokenFilter {
  return (ts) => ts.filter((t) => !words.has(t.term));
}
export function lengthFilter(min: number, max: number): TokenFilter {
  return (ts) => ts.filter((t) => t.term.length >= min && t.term.length <= max);
}
export const uniqueFilter: TokenFilter = (ts) => {
  const seen = new Set<string>();
  return ts.filter((t) => (seen.has(t.term) ? false : (seen.add(t.term), true)));
};
export const reverseFilter: TokenFilter = (ts) => {
  for (const t of ts) t.term = [...t.term].reverse().join('');
  return ts;
};

export function ngramFilter(min: number, max: number, edge: boolean): TokenFilter {
  return (ts) => {
    const out: Token[] = [];
    for (const t of ts) {
      const chars = [...t.term];
      for (let s = 0; s < (edge ? 1 : chars.length); s++) {
        for (let len = min; len <= max && s + len <= chars.length; len++) out.push({ term: chars.slice(s, s + len).join(''), start: t.start, end: t.end });
      }
    }
    return out;
  };
}

/**
 * Light English stemmer (plural and possessive stripping, like Lucene's EnglishMinimalStemFilter plus -ing/-ed
 * trimming). A full Porter stemmer is not reproduced: `english`/`stemmer` analyzers match plurals, not all forms.
 */
export function lightStem(w: string): string {
  if (w.endsWith("'s")) w = w.slice(0, -2);
  if (w.length < 4) return w;
  if (w.endsWith('ies') && !w.endsWith('eies') && !w.endsWith('aies')) return w.slice(0, -3) + 'y';
  if (w.endsWith('es') && /(?:ss|x|ch|sh)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) return w.slice(0, -1);
  return w;
}
export const stemFilter: TokenFilter = (ts) => {
  for (const t of ts) t.term = lightStem(t.term);
  return ts;
};

/** Synonyms in Solr format: "a, b, c" (equivalent) or "a, b => c" (replacement); single-token rules only. */
export function synonymFilter(rules: string[]): TokenFilter {
  const map = new Map<string, string[]>();
  for (const rule of rules) {
    const [lhs, rhs] = rule.split('=>');
    const left = lhs.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
    if (rhs !== undefined) {
      const right = rhs.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
      for (const l of left) map.set(l, right);
    } else for (const l of left) map.set(l, left);
  }
  return (ts) => {
    const out: Token[] = [];
    for (const t of ts) {
      const syn = map.get(t.term);
      if (!syn) out.push(t);
      else for (const s of syn) out.push({ term: s, start: t.start, end: t.end });
    }
    return out;
  };
}
