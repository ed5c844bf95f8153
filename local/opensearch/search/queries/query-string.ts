// query_string (Lucene classic syntax: field:term, "phrases"~slop, term~fuzzy, wild*cards, [a TO b], >=x, /regex/,
// AND/OR/NOT, && || !, +/-, (groups), ^boost, _exists_) and simple_query_string (+ | - " * ( ) ~N, never fails).
// Written here: the syntax is Lucene's and no npm package parses it into OpenSearch semantics.
// Syntax errors surface as query_shard_exception "Failed to parse query [...]" caused by parse_exception.
import type { Bitset } from '../../engine/bitset';
import { OpenSearchError } from '../../errors';
import { EMPTY, ScoredDocs } from '../../engine/scored-docs';
import type { ShardContext } from '../context';
import { HighlightTerms, Query } from './base';
import { BoolQuery, DisMaxQuery } from './compound';
import { MatchQuery, PhraseQuery } from './full-text';
import { minShouldMatch } from './min-should-match';
import { ExistsQuery, FuzzyQuery, MatchAllQuery, PrefixQuery, RangeQuery, RegexpQuery, WildcardQuery } from './term-level';

type Occur = 'must' | 'should' | 'must_not';

type Node =
  | { kind: 'bool'; clauses: { occur: Occur; node: Node }[]; boost?: number }
  | { kind: 'term'; field?: string; text: string; fuzzy?: string; boost?: number; wildcard: boolean }
  | { kind: 'phrase'; field?: string; text: string; slop?: number; boost?: number }
  | { kind: 'range'; field?: string; lo: string; hi: string; loIncl: boolean; hiIncl: boolean; boost?: number }
  | { kind: 'regexp'; field?: string; pattern: string; boost?: number };

export class QuerySyntaxError extends Error {}

const SPECIAL = new Set([...'+-=&|><!(){}[]^"~*?:\\/ \t\r\n']);

class ClassicParser {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly defaultAnd: boolean,
  ) {}

  private err(what: string): never {
    const col = this.i + 1;
    throw new QuerySyntaxError(`Cannot parse '${this.s}': Encountered "${what}" at line 1, column ${col}.`);
  }
  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }
  private peekWord(w: string): boolean {
    if (!this.s.startsWith(w, this.i)) return false;
    const next = this.s[this.i + w.length];
    return next === undefined || /[\s()]/.test(next);
  }

  parse(): Node {
    const n = this.query(false);
    this.ws();
    if (this.i < this.s.length) this.err(this.s[this.i]);
    return n;
  }

  private query(inGroup: boolean): Node {
    const clauses: { occur: Occur; node: Node }[] = [];
    let first = true;
    for (;;) {
      this.ws();
      if (this.i >= this.s.length) break;
      if (this.s[this.i] === ')') {
        if (!inGroup) this.err(')');
        break;
      }
      let conj: 'and' | 'or' | null = null;
      if (this.peekWord('AND') || this.s.startsWith('&&', this.i)) {
        if (first) this.err(this.s.startsWith('&&', this.i) ? '&&' : 'AND');
        conj = 'and';
        this.i += this.s.startsWith('&&', this.i) ? 2 : 3;
      } else if (this.peekWord('OR') || this.s.startsWith('||', this.i)) {
        if (first) this.err(this.s.startsWith('||', this.i) ? '||' : 'OR');
        conj = 'or';
        this.i += 2;
      }
      this.ws();
      let mod: 'req' | 'not' | null = null;
      if (this.s[this.i] === '+') {
        mod = 'req';
        this.i++;
      } else if (this.s[this.i] === '-' || this.s[this.i] === '!') {
        mod = 'not';
        this.i++;
      } else if (this.peekWord('NOT')) {
        mod = 'not';
        this.i += 3;
      }
      this.ws();
      if (this.i >= this.s.length || this.s[this.i] === ')') this.err(this.i >= this.s.length ? '<EOF>' : ')');
      const node = this.clause();
      // Lucene's QueryParserBase.addClause
      if (conj === 'and' && clauses.length && clauses[clauses.length - 1].occur !== 'must_not') clauses[clauses.length - 1].occur = 'must';
      if (conj === 'or' && this.defaultAnd && clauses.length && clauses[clauses.length - 1].occur !== 'must_not') clauses[clauses.length - 1].occur = 'should';
      let occur: Occur;
      if (!this.defaultAnd) {
        const prohibited = mod === 'not';
        const required = mod === 'req' || (conj === 'and' && !prohibited);
        occur = prohibited ? 'must_not' : required ? 'must' : 'should';
      } else {
        const prohibited = mod === 'not';
        occur = prohibited ? 'must_not' : conj !== 'or' ? 'must' : 'should';
      }
      clauses.push({ occur, node });
      first = false;
    }
    if (clauses.length === 1 && clauses[0].occur !== 'must_not') return clauses[0].node;
    return { kind: 'bool', clauses };
  }

  private boostAndFuzzy(n: Node): Node {
    for (;;) {
      if (this.s[this.i] === '^') {
        this.i++;
        const m = /^\d+(\.\d+)?/.exec(this.s.slice(this.i));
        if (!m) this.err(this.s[this.i] ?? '<EOF>');
        n.boost = Number(m[0]);
        this.i += m[0].length;
      } else if (this.s[this.i] === '~') {
        this.i++;
        const m = /^\d+(\.\d+)?/.exec(this.s.slice(this.i));
        const v = m ? m[0] : '';
        this.i += v.length;
        if (n.kind === 'phrase') n.slop = v ? Number(v) : 0;
        else if (n.kind === 'term') n.fuzzy = v || 'AUTO';
        else this.err('~');
      } else return n;
    }
  }

  private term(): string {
    let out = '';
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '\\') {
        if (this.i + 1 >= this.s.length) this.err('<EOF>');
        out += '\\' + this.s[this.i + 1];
        this.i += 2;
        continue;
      }
      if (c === '*' || c === '?') {
        out += c;
        this.i++;
        continue;
      }
      if (c === '-' || c === '+') {
        if (out.length === 0) this.err(c);
        out += c; // inside a term these are literal in practice (e.g. wi-fi)
        this.i++;
        continue;
      }
      if (SPECIAL.has(c)) break;
      out += c;
      this.i++;
    }
    return out;
  }

  private clause(): Node {
    this.ws();
    let field: string | undefined;
    // field:
    const save = this.i;
    const m = /^((?:[^\s:\\+\-!(){}[\]^"~*?/]|\\.|\*)+):/.exec(this.s.slice(this.i));
    if (m && !/^\s*$/.test(this.s.slice(this.i + m[0].length, this.i + m[0].length + 1) || 'x')) {
      field = m[1].replace(/\\(.)/g, '$1');
      this.i += m[0].length;
    } else this.i = save;
    const c = this.s[this.i];
    if (c === undefined) this.err('<EOF>');
    if (c === '(') {
      this.i++;
      const inner = this.query(true);
      if (this.s[this.i] !== ')') this.err('<EOF>');
      this.i++;
      const n = this.withField(inner, field);
      return this.boostAndFuzzy(n);
    }
    if (c === '"') {
      const end = this.findClose('"', this.i + 1);
      const text = this.s.slice(this.i + 1, end).replace(/\\(.)/g, '$1');
      this.i = end + 1;
      return this.boostAndFuzzy({ kind: 'phrase', field, text });
    }
    if (c === '[' || c === '{') {
      const loIncl = c === '[';
      const close = this.s.slice(this.i).search(/[\]}]/);
      if (close < 0) this.err('<EOF>');
      const body = this.s.slice(this.i + 1, this.i + close).trim();
      const hiIncl = this.s[this.i + close] === ']';
      const parts = body.split(/\s+TO\s+/);
      if (parts.length !== 2) this.err(body);
      this.i += close + 1;
      const unq = (x: string) => x.replace(/^"|"$/g, '');
      return this.boostAndFuzzy({ kind: 'range', field, lo: unq(parts[0]), hi: unq(parts[1]), loIncl, hiIncl });
    }
    if (c === '>' || c === '<') {
      const op = this.s[this.i + 1] === '=' ? c + '=' : c;
      this.i += op.length;
      const v = this.term();
      if (!v) this.err(this.s[this.i] ?? '<EOF>');
      const n: Node =
        op[0] === '>' ? { kind: 'range', field, lo: v, hi: '*', loIncl: op === '>=', hiIncl: true } : { kind: 'range', field, lo: '*', hi: v, loIncl: true, hiIncl: op === '<=' };
      return this.boostAndFuzzy(n);
    }
    if (c === '/') {
      const end = this.findClose('/', this.i + 1);
      const pattern = this.s.slice(this.i + 1, end);
      this.i = end + 1;
      return this.boostAndFuzzy({ kind: 'regexp', field, pattern });
    }
    const t = this.term();
    if (!t) this.err(c);
    return this.boostAndFuzzy({ kind: 'term', field, text: t, wildcard: /(^|[^\\])[*?]/.test(t) });
  }

  private findClose(ch: string, from: number): number {
    for (let j = from; j < this.s.length; j++) {
      if (this.s[j] === '\\') {
        j++;
        continue;
      }
      if (this.s[j] === ch) return j;
    }
    this.i = this.s.length;
    return this.err('<EOF>');
  }

  private withField(n: Node, field?: string): Node {
    if (!field) return n;
    if (n.kind === 'bool') return { ...n, clauses: n.clauses.map((c) => ({ ...c, node: this.withField(c.node, field) })) };
    return n.field ? n : { ...n, field };
  }
}

/** simple_query_string: tolerant syntax, unparseable pieces become plain terms. */
function parseSimple(s: string, defaultAnd: boolean): Node {
  let i = 0;
  const group = (): Node => {
    const clauses: { occur: Occur; node: Node }[] = [];
    let pendingOr = false;
    while (i < s.length) {
      const c = s[i];
      if (/\s/.test(c)) {
        i++;
        continue;
      }
      if (c === ')') {
        i++;
        break;
      }
      if (c === '|') {
        pendingOr = true;
        i++;
        continue;
      }
      let occur: Occur = defaultAnd ? 'must' : 'should';
      if (c === '+') {
        occur = 'must';
        i++;
      } else if (c === '-') {
        occur = 'must_not';
        i++;
      }
      if (pendingOr && occur !== 'must_not') {
        occur = 'should';
        if (clauses.length && clauses[clauses.length - 1].occur === 'must') clauses[clauses.length - 1].occur = 'should';
      }
      pendingOr = false;
      if (i >= s.length) break;
      let node: Node;
      if (s[i] === '(') {
        i++;
        node = group();
      } else if (s[i] === '"') {
        const end = s.indexOf('"', i + 1);
        const text = s.slice(i + 1, end < 0 ? s.length : end);
        i = end < 0 ? s.length : end + 1;
        node = { kind: 'phrase', text };
        const m = /^~(\d+)/.exec(s.slice(i));
        if (m) {
          node.slop = Number(m[1]);
          i += m[0].length;
        }
      } else {
        let t = '';
        while (i < s.length && !/[\s()|"]/.test(s[i])) {
          if (s[i] === '\\' && i + 1 < s.length) {
            t += s[i + 1];
            i += 2;
            continue;
          }
          t += s[i++];
        }
        let fuzzy: string | undefined;
        const fm = /~(\d*)$/.exec(t);
        if (fm) {
          fuzzy = fm[1] || 'AUTO';
          t = t.slice(0, -fm[0].length);
        }
        const prefix = t.endsWith('*');
        if (prefix) t = t.slice(0, -1).replace(/\*/g, '') + '*';
        if (!t || t === '*') continue;
        node = { kind: 'term', text: t, fuzzy, wildcard: prefix };
      }
      clauses.push({ occur, node });
    }
    if (clauses.length === 1 && clauses[0].occur !== 'must_not') return clauses[0].node;
    return { kind: 'bool', clauses };
  };
  return group();
}

export interface QueryStringOptions {
  query: string;
  fields: string[];
  defaultField?: string;
  defaultOperator: 'or' | 'and';
  fuzziness?: unknown;
  analyzer?: string;
  minimumShouldMatch?: unknown;
  lenient?: boolean;
  phraseSlop?: number;
  simple: boolean;
  analyzeWildcard?: boolean;
}

export class QueryStringQuery extends Query {
  private ast?: Node;
  constructor(readonly o: QueryStringOptions) {
    super();
  }

  private parse(ctx: ShardContext): Node {
    if (this.ast) return this.ast;
    const and = this.o.defaultOperator === 'and';
    if (this.o.simple) return (this.ast = parseSimple(this.o.query, and));
    try {
      return (this.ast = new ClassicParser(this.o.query, and).parse());
    } catch (e) {
      if (!(e instanceof QuerySyntaxError)) throw e;
      const inner = new OpenSearchError('parse_exception', e.message.replace(/^Cannot parse '.*?': /s, ''), 400);
      throw ctx.fail(`Failed to parse query [${this.o.query}]`, new OpenSearchError('parse_exception', e.message, 400, {}, inner));
    }
  }

  private defaultFields(): string[] {
    if (this.o.fields.length) return this.o.fields;
    return [this.o.defaultField ?? '*'];
  }

  private build(ctx: ShardContext, n: Node): Query {
    if (n.kind === 'bool') {
      const must: Query[] = [];
      const should: Query[] = [];
      const mustNot: Query[] = [];
      for (const c of n.clauses) {
        const q = this.build(ctx, c.node);
        (c.occur === 'must' ? must : c.occur === 'should' ? should : mustNot).push(q);
      }
      const onlyNot = must.length === 0 && should.length === 0;
      const b = new BoolQuery(must, should, onlyNot ? [new MatchAllQuery()] : [], mustNot, n === this.ast ? this.o.minimumShouldMatch : undefined);
      b.boost = n.boost ?? 1;
      return b;
    }
    if (n.kind === 'term' && n.field === '_exists_') return new ExistsQuery(n.text);
    const specs = n.field ? [n.field] : this.defaultFields();
    const perField: Query[] = [];
    for (const spec of specs) {
      const [pattern, fb] = spec.split('^');
      const fieldBoost = fb ? Number(fb) : 1;
      const fields = ctx.resolveFields(pattern);
      const lenient = this.o.lenient || pattern.includes('*') || this.o.simple;
      for (const field of fields) {
        const info = ctx.info(field);
        if (!info) continue;
        if (pattern.includes('*') && info.kind !== 'text' && info.kind !== 'keyword') continue;
        const q = this.leaf(ctx, n, field, lenient);
        if (!q) continue;
        q.boost *= fieldBoost;
        perField.push(q);
      }
    }
    if (perField.length === 0) return emptyQuery();
    const q = perField.length === 1 ? perField[0] : new DisMaxQuery(perField, 0);
    return q;
  }

  private leaf(ctx: ShardContext, n: Node, field: string, lenient: boolean): Query | null {
    const info = ctx.info(field)!;
    const unescape = (t: string) => t.replace(/\\(.)/g, '$1');
    const boost = n.boost ?? 1;
    let q: Query;
    switch (n.kind) {
      case 'term': {
        if (n.wildcard) {
          const raw = n.text;
          if (raw === '*') q = new ExistsQuery(field);
          else {
            const norm = info.kind === 'text' ? raw.toLowerCase() : raw;
            if (/^[^*?]*\*$/.test(norm.replace(/\\./g, 'x'))) q = new PrefixQuery(field, unescape(norm.slice(0, -1)));
            else q = new WildcardQuery(field, norm);
          }
        } else if (n.fuzzy !== undefined && (info.kind === 'text' || info.kind === 'keyword')) {
          const text = unescape(n.text);
          const term = info.kind === 'text' ? (info.searchAnalyzer ?? info.analyzer!).terms(text)[0] ?? text.toLowerCase() : text;
          q = new FuzzyQuery(field, term, n.fuzzy === 'AUTO' ? (this.o.fuzziness ?? 'AUTO') : n.fuzzy);
        } else {
          if ((info.kind === 'number' || info.kind === 'date' || info.kind === 'boolean') && lenient) {
            const probe = new MatchQuery(field, unescape(n.text), { lenient: true });
            q = probe;
          } else q = new MatchQuery(field, unescape(n.text), { operator: this.o.defaultOperator, analyzer: this.o.analyzer });
        }
        break;
      }
      case 'phrase':
        q = new PhraseQuery(field, n.text, n.slop ?? this.o.phraseSlop ?? 0, false, 50, this.o.analyzer);
        break;
      case 'range': {
        const b: Record<string, unknown> = {};
        if (n.lo !== '*') b[n.loIncl ? 'gte' : 'gt'] = n.lo;
        if (n.hi !== '*') b[n.hiIncl ? 'lte' : 'lt'] = n.hi;
        q = new RangeQuery(field, b);
        if (lenient) q = new LenientQuery(q);
        break;
      }
      case 'regexp':
        q = new RegexpQuery(field, n.pattern);
        break;
      default:
        return null;
    }
    q.boost = boost;
    return q;
  }

  private tree(ctx: ShardContext): Query {
    const ast = this.parse(ctx);
    const q = this.build(ctx, ast);
    if (ast.kind !== 'bool' && this.o.minimumShouldMatch !== undefined && minShouldMatch(1, this.o.minimumShouldMatch) > 1) return emptyQuery();
    q.boost *= this.boost;
    return q;
  }

  score(ctx: ShardContext): ScoredDocs {
    return this.tree(ctx).score(ctx);
  }
  override filter(ctx: ShardContext): Bitset {
    return this.tree(ctx).filter(ctx);
  }
  override highlightTerms(ctx: ShardContext, out: HighlightTerms): void {
    this.tree(ctx).highlightTerms(ctx, out);
  }
}

/** Wraps a query so that value errors on mismatched field types just match nothing (lenient). */
class LenientQuery extends Query {
  constructor(readonly inner: Query) {
    super();
  }
  score(ctx: ShardContext): ScoredDocs {
    try {
      return this.inner.score(ctx);
    } catch {
      return EMPTY;
    }
  }
  override filter(ctx: ShardContext): Bitset {
    try {
      return this.inner.filter(ctx);
    } catch {
      return ctx.emptyBits();
    }
  }
}

class NoneQuery extends Query {
  score(): ScoredDocs {
    return EMPTY;
  }
  override filter(ctx: ShardContext): Bitset {
    return ctx.emptyBits();
  }
}

function emptyQuery(): Query {
  return new NoneQuery();
}
