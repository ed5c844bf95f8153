// A small subset of Painless for update scripts, enough for the usual partial updates:
// statements `ctx._source.a.b = <expr>`, `+=`, `-=`, `*=`, `/=`, `ctx._source.remove('f')`, `ctx._source.list.add(x)`,
// `ctx.op = 'delete' | 'noop'`, where <expr> is a number, a 'string', true/false/null, params.x or ctx._source.x,
// optionally combined with one + - * / operator. Anything else is rejected with script_exception (400).
import { OpenSearchError } from '../errors';
import { isPlainObject } from '../util/json';

export class ScriptError extends OpenSearchError {
  constructor(source: string, why: string) {
    super('script_exception', 'compile error', 400, { script_stack: [source], script: source, lang: 'painless' }, new OpenSearchError('illegal_argument_exception', why, 400));
  }
}

export interface ScriptResult {
  source: Record<string, unknown>;
  op: 'index' | 'delete' | 'noop';
}

function getPath(obj: unknown, path: string[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, path: string[], v: unknown): void {
  let cur = obj;
  for (let i = 0; i < path.length - 1; i++) {
    if (!isPlainObject(cur[path[i]])) cur[path[i]] = {};
    cur = cur[path[i]] as Record<string, unknown>;
  }
  cur[path[path.length - 1]] = v;
}

export function runScript(script: unknown, source: Record<string, unknown>): ScriptResult {
  const spec = typeof script === 'string' ? { source: script } : isPlainObject(script) ? script : {};
  const code = String(spec.source ?? spec.inline ?? '');
  if (spec.id !== undefined) throw new ScriptError(code, 'stored scripts are not supported');
  const params = isPlainObject(spec.params) ? spec.params : {};
  const src = structuredClone(source);
  const ctx = { _source: src, op: 'index' as ScriptResult['op'] };
  const atom = (t: string): unknown => {
    const s = t.trim();
    if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
    if (/^'.*'$/.test(s) || /^".*"$/.test(s)) return s.slice(1, -1);
    if (s === 'true' || s === 'false') return s === 'true';
    if (s === 'null') return null;
    if (s.startsWith('params.')) return getPath(params, s.slice(7).split('.'));
    if (s.startsWith("params['") || s.startsWith('params["')) return params[s.slice(8, -2)];
    if (s.startsWith('ctx._source.')) return getPath(src, s.slice(12).split('.'));
    throw new ScriptError(code, `cannot resolve symbol [${s}]`);
  };
  const expr = (t: string): unknown => {
    const m = /^(.+?)\s*([+\-*/])\s*(.+)$/.exec(t.trim());
    if (m && !/^-?\d+(\.\d+)?$/.test(t.trim())) {
      const a = atom(m[1]);
      const b = atom(m[3]);
      return arith(a, m[2], b);
    }
    return atom(t);
  };
  const arith = (a: unknown, op: string, b: unknown): unknown => {
    if (op === '+' && (typeof a === 'string' || typeof b === 'string')) return String(a) + String(b);
    const x = Number(a ?? NaN);
    const y = Number(b ?? NaN);
    if (Number.isNaN(x) || Number.isNaN(y)) throw new ScriptError(code, 'cannot apply arithmetic to non-numeric values');
    return op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : x / y;
  };
  for (const stmt of code.split(';').map((s) => s.trim()).filter(Boolean)) {
    let m: RegExpExecArray | null;
    if ((m = /^ctx\.op\s*=\s*['"](\w+)['"]$/.exec(stmt))) {
      if (!['delete', 'noop', 'index', 'none'].includes(m[1])) throw new ScriptError(code, `unsupported op [${m[1]}]`);
      ctx.op = m[1] === 'none' ? 'noop' : (m[1] as ScriptResult['op']);
    } else if ((m = /^ctx\._source\.([\w.]+)\.remove\(\s*['"]([\w.]+)['"]\s*\)$/.exec(stmt))) {
      const parent = getPath(src, m[1].split('.'));
      if (isPlainObject(parent)) delete parent[m[2]];
    } else if ((m = /^ctx\._source\.remove\(\s*['"]([\w.]+)['"]\s*\)$/.exec(stmt))) {
      delete src[m[1]];
    } else if ((m = /^ctx\._source\.([\w.]+)\.add\((.+)\)$/.exec(stmt))) {
      const list = getPath(src, m[1].split('.'));
      if (!Array.isArray(list)) throw new ScriptError(code, `[${m[1]}] is not a list`);
      list.push(expr(m[2]));
    } else if ((m = /^ctx\._source\.([\w.]+)\s*([+\-*/]?)=\s*(.+)$/.exec(stmt))) {
      const path = m[1].split('.');
      const v = expr(m[3]);
      setPath(src, path, m[2] ? arith(getPath(src, path), m[2], v) : v);
    } else throw new ScriptError(code, `unsupported statement [${stmt}]`);
  }
  return { source: src, op: ctx.op };
}
