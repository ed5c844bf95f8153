// Tokenizers: split text into tokens with character offsets (needed by highlighting).
// `standard` approximates Lucene's UAX#29 StandardTokenizer with a Unicode regex: runs of letters/digits/marks/_
// joined across ' and . (and , between digits), ideographs one per token, tokens cut at max_token_length.

export interface Token {
  term: string;
  start: number;
  end: number;
}

export type Tokenizer = (text: string) => Token[];

const WORD = /[\p{L}\p{M}\p{N}_]+(?:(?:['\u2019.]|(?<=\p{N}),(?=\p{N}))[\p{L}\p{M}\p{N}_]+)*/gu;
const IDEOGRAPHIC = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}]/u;

function pushCut(out: Token[], term: string, start: number, max: number): void {
  if (term.length <= max) {
    out.push({ term, start, end: start + term.length });
    return;
  }
  for (let i = 0; i < term.length; i += max) out.push({ term: term.slice(i, i + max), start: start + i, end: start + Math.min(term.length, i + max) });
}

export function standardTokenizer(maxTokenLength = 255): Tokenizer {
  return (text) => {
    const out: Token[] = [];
    WORD.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = WORD.exec(text)) !== null) {
      const t = m[0];
      if (IDEOGRAPHIC.test(t)) {
        // Lucene emits each ideograph alone; other runs inside stay whole.
        let run = '';
        let runStart = m.index;
        let i = 0;
        for (const ch of t) {
          if (IDEOGRAPHIC.test(ch)) {
            if (run) pushCut(out, run, runStart, maxTokenLength);
            out.push({ term: ch, start: m.index + i, end: m.index + i + ch.length });
            run = '';
            runStart = m.index + i + ch.length;
          } else {
            if (!run) runStart = m.index + i;
            run += ch;
          }
          i += ch.length;
        }
        if (run) pushCut(out, run, runStart, maxTokenLength);
      } else pushCut(out, t, m.index, maxTokenLength);
    }
    return out;
  };
}

/** Terms only (no offsets, no token objects): the indexing fast path of the standard tokenizer. */
export function standardTerms(text: string, maxTokenLength = 255): string[] {
  const out: string[] = [];
  WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD.exec(text)) !== null) {
    const t = m[0];
    if (t.length > maxTokenLength || IDEOGRAPHIC.test(t)) {
      const resume = WORD.lastIndex; // the slow path reuses the shared regex
      for (const tok of standardTokenizer(maxTokenLength)(t)) out.push(tok.term);
      WORD.lastIndex = resume;
    } else out.push(t);
  }
  return out;
}

function regexTokenizer(rx: RegExp): Tokenizer {
  return (text) => {
    const out: Token[] = [];
    const r = new RegExp(rx.source, rx.flags);
    let m: RegExpExecArray | null;
    while ((m = r.exec(text)) !== null) {
      if (m[0].length === 0) {
        r.lastIndex++;
        continue;
      }
      out.push({ term: m[0], start: m.index, end: m.index + m[0].length });
    }
    return out;
  };
}

export const whitespaceTokenizer: Tokenizer = regexTokenizer(/\S+/gu);
export const letterTokenizer: Tokenizer = regexTokenizer(/\p{L}+/gu);
export const keywordTokenizer: Tokenizer = (text) => [{ term: text, start: 0, end: text.length }];

/** Splits on a separator pattern (the `pattern` tokenizer; default \W+). */
export function patternTokenizer(pattern: string): Tokenizer {
  const sep = new RegExp(pattern, 'gu');
  return (text) => {
    const out: Token[] = [];
    let last = 0;
    let m: RegExpExecArray | null;
    while ((m = sep.exec(text)) !== null) {
      if (m.index > last) out.push({ term: text.slice(last, m.index), start: last, end: m.index });
      last = m.index + m[0].length;
      if (m[0].length === 0) sep.lastIndex++;
    }
    if (last < text.length) out.push({ term: text.slice(last), start: last, end: text.length });
    return out;
  };
}

/** ngram / edge_ngram tokenizers: grams of the letter/digit runs (token_chars letter, digit by default). */
export function ngramTokenizer(min: number, max: number, edge: boolean): Tokenizer {
  const base = regexTokenizer(/[\p{L}\p{N}]+/gu);
  return (text) => {
    const out: Token[] = [];
    for (const t of base(text)) {
      const chars = [...t.term];
      for (let s = 0; s < (edge ? 1 : chars.length); s++) {
        for (let len = min; len <= max && s + len <= chars.length; len++) {
          const term = chars.slice(s, s + len).join('');
          out.push({ term, start: t.start + s, end: t.start + s + term.length });
        }
      }
    }
    return out;
  };
}
