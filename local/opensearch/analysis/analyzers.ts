// Analyzers: the built-in ones (standard, simple, whitespace, keyword, stop, english) and custom analyzers and
// normalizers declared in index settings (index.analysis.*), resolved per index by AnalysisRegistry.
import { IllegalArgumentError } from '../errors';
import { isPlainObject } from '../util/json';
import * as F from './filters';
import * as T from './tokenizers';

export interface Analyzer {
  readonly name: string;
  /** Tokens with offsets (highlighting, phrase positions). */
  tokens(text: string): T.Token[];
  /** Terms only: the hot path of indexing. */
  terms(text: string): string[];
}

class ChainAnalyzer implements Analyzer {
  constructor(
    readonly name: string,
    private readonly charFilters: ((s: string) => string)[],
    private readonly tokenizer: T.Tokenizer,
    private readonly filters: F.TokenFilter[],
  ) {}
  tokens(text: string): T.Token[] {
    let s = text;
    for (const c of this.charFilters) s = c(s);
    let ts = this.tokenizer(s);
    for (const f of this.filters) ts = f(ts);
    return ts;
  }
  terms(text: string): string[] {
    return this.tokens(text).map((t) => t.term);
  }
}

/** The standard analyzer's fast path: lowercase once, then tokenize (offsets are not needed for indexing). */
class StandardAnalyzer extends ChainAnalyzer {
  private readonly max: number;
  private readonly stop?: Set<string>;
  constructor(name: string, maxTokenLength: number, stop?: Set<string>) {
    super(name, [], T.standardTokenizer(maxTokenLength), stop ? [F.lowercaseFilter, F.stopFilter(stop)] : [F.lowercaseFilter]);
    this.max = maxTokenLength;
    this.stop = stop;
  }
  override terms(text: string): string[] {
    const ts = T.standardTerms(text.toLowerCase(), this.max);
    return this.stop ? ts.filter((t) => !this.stop!.has(t)) : ts;
  }
}

const keywordAnalyzer = new ChainAnalyzer('keyword', [], T.keywordTokenizer, []);

export const BUILTIN_ANALYZERS: Record<string, Analyzer> = {
  standard: new StandardAnalyzer('standard', 255),
  simple: new ChainAnalyzer('simple', [], T.letterTokenizer, [F.lowercaseFilter]),
  whitespace: new ChainAnalyzer('whitespace', [], T.whitespaceTokenizer, []),
  keyword: keywordAnalyzer,
  stop: new ChainAnalyzer('stop', [], T.letterTokenizer, [F.lowercaseFilter, F.stopFilter(F.ENGLISH_STOPWORDS)]),
  english: new ChainAnalyzer('english', [], T.standardTokenizer(255), [F.lowercaseFilter, F.stopFilter(F.ENGLISH_STOPWORDS), F.stemFilter]),
};

const htmlStrip = (s: string) => s.replace(/<[^>]*>/g, (m) => ' '.repeat(m.length)).replace(/&(amp|lt|gt|quot|nbsp);/g, (m) => ' '.repeat(m.length));

type Def = Record<string, unknown>;

function num(v: unknown, d: number): number {
  const n = Number(v);
  return v === undefined || Number.isNaN(n) ? d : n;
}

function stopSet(v: unknown): Set<string> {
  if (v === undefined || v === '_english_') return F.ENGLISH_STOPWORDS;
  if (v === '_none_') return new Set();
  if (Array.isArray(v)) return new Set(v.map(String));
  return new Set([String(v)]);
}

/** Resolves analyzer and normalizer names for one index from its analysis settings. */
export class AnalysisRegistry {
  private readonly analyzers = new Map<string, Analyzer>();
  private readonly normalizers = new Map<string, (s: string) => string>();

  constructor(analysis: unknown) {
    const a = isPlainObject(analysis) ? analysis : {};
    const tokDefs = (isPlainObject(a.tokenizer) ? a.tokenizer : {}) as Record<string, Def>;
    const filterDefs = (isPlainObject(a.filter) ? a.filter : {}) as Record<string, Def>;
    const charDefs = (isPlainObject(a.char_filter) ? a.char_filter : {}) as Record<string, Def>;
    const filter = (name: string): F.TokenFilter => this.filter(name, filterDefs);
    const charFilter = (name: string): ((s: string) => string) => {
      if (name === 'html_strip') return htmlStrip;
      const d = charDefs[name];
      if (!d) throw new IllegalArgumentError(`failed to find global char_filter under [${name}]`);
      if (d.type === 'html_strip') return htmlStrip;
      if (d.type === 'mapping') {
        const pairs = ((d.mappings as string[]) ?? []).map((m) => m.split('=>').map((x) => x.trim()) as [string, string]);
        return (s) => pairs.reduce((acc, [from, to]) => acc.split(from).join(to ?? ''), s);
      }
      if (d.type === 'pattern_replace') {
        const rx = new RegExp(String(d.pattern ?? ''), 'gu');
        return (s) => s.replace(rx, String(d.replacement ?? ''));
      }
      throw new IllegalArgumentError(`failed to find global char_filter under [${String(d.type)}]`);
    };
    const tokenizer = (name: string): T.Tokenizer => {
      const d = tokDefs[name] ?? { type: name };
      switch (d.type) {
        case 'standard':
        case 'classic':
        case 'uax_url_email':
          return T.standardTokenizer(num(d.max_token_length, 255));
        case 'whitespace':
          return T.whitespaceTokenizer;
        case 'letter':
          return T.letterTokenizer;
        case 'lowercase':
          return (s) => F.lowercaseFilter(T.letterTokenizer(s));
        case 'keyword':
          return T.keywordTokenizer;
        case 'pattern':
          return T.patternTokenizer(String(d.pattern ?? '\\W+'));
        case 'ngram':
        case 'nGram':
          return T.ngramTokenizer(num(d.min_gram, 1), num(d.max_gram, 2), false);
        case 'edge_ngram':
        case 'edgeNGram':
          return T.ngramTokenizer(num(d.min_gram, 1), num(d.max_gram, 2), true);
        default:
          throw new IllegalArgumentError(`failed to find tokenizer under [${name}]`);
      }
    };
    for (const [name, defU] of Object.entries(isPlainObject(a.analyzer) ? a.analyzer : {})) {
      const def = (isPlainObject(defU) ? defU : {}) as Def;
      const type = String(def.type ?? 'custom');
      if (type === 'custom') {
        if (def.tokenizer === undefined) throw new IllegalArgumentError(`analyzer [${name}] must specify either an analyzer type, or a tokenizer`);
        const filters = ([] as unknown[]).concat(def.filter ?? []).map((f) => filter(String(f)));
        const chars = ([] as unknown[]).concat(def.char_filter ?? []).map((c) => charFilter(String(c)));
        this.analyzers.set(name, new ChainAnalyzer(name, chars, tokenizer(String(def.tokenizer)), filters));
      } else if (type === 'standard') {
        this.analyzers.set(name, new StandardAnalyzer(name, num(def.max_token_length, 255), def.stopwords ? stopSet(def.stopwords) : undefined));
      } else if (BUILTIN_ANALYZERS[type]) {
        this.analyzers.set(name, BUILTIN_ANALYZERS[type]);
      } else {
        throw new IllegalArgumentError(`Unknown analyzer type [${type}] for [${name}]`);
      }
    }
    for (const [name, defU] of Object.entries(isPlainObject(a.normalizer) ? a.normalizer : {})) {
      const def = (isPlainObject(defU) ? defU : {}) as Def;
      const filters = ([] as unknown[]).concat(def.filter ?? []).map((f) => filter(String(f)));
      const chars = ([] as unknown[]).concat(def.char_filter ?? []).map((c) => charFilter(String(c)));
      this.normalizers.set(name, (s) => {
        let v = s;
        for (const c of chars) v = c(v);
        let ts: T.Token[] = [{ term: v, start: 0, end: v.length }];
        for (const f of filters) ts = f(ts);
        return ts.map((t) => t.term).join('');
      });
    }
  }

  private filter(name: string, defs: Record<string, Def>): F.TokenFilter {
    const d = defs[name] ?? { type: name };
    switch (d.type) {
      case 'lowercase':
        return F.lowercaseFilter;
      case 'uppercase':
        return F.uppercaseFilter;
      case 'asciifolding':
        return F.asciiFoldingFilter;
      case 'trim':
        return F.trimFilter;
      case 'unique':
        return F.uniqueFilter;
      case 'reverse':
        return F.reverseFilter;
      case 'stop':
        return F.stopFilter(stopSet(d.stopwords));
      case 'length':
        return F.lengthFilter(num(d.min, 0), num(d.max, Number.MAX_SAFE_INTEGER));
      case 'ngram':
      case 'nGram':
        return F.ngramFilter(num(d.min_gram, 1), num(d.max_gram, 2), false);
      case 'edge_ngram':
      case 'edgeNGram':
        return F.ngramFilter(num(d.min_gram, 1), num(d.max_gram, 2), true);
      case 'porter_stem':
      case 'stemmer':
      case 'kstem':
      case 'snowball':
      case 'english_minimal':
        return F.stemFilter;
      case 'synonym':
      case 'synonym_graph':
        return F.synonymFilter(((d.synonyms as string[]) ?? []).map(String));
      default:
        throw new IllegalArgumentError(`failed to find filter under [${name}]`);
    }
  }

  analyzer(name: string): Analyzer | undefined {
    return this.analyzers.get(name) ?? BUILTIN_ANALYZERS[name];
  }

  normalizer(name: string): ((s: string) => string) | undefined {
    if (this.normalizers.has(name)) return this.normalizers.get(name);
    if (name === 'lowercase') return (s) => s.toLowerCase();
    return undefined;
  }
}
