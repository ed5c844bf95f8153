/**
 * The JSONPath data flow of a state: InputPath -> Parameters -> (work) -> ResultSelector -> ResultPath ->
 * OutputPath, and payload templates (Parameters, ItemSelector, ResultSelector): keys ending in ".$" take
 * a path, a variable or an intrinsic function call; other values are copied.
 */
import { RuntimeFault } from './errors';
import { evaluateIntrinsic, looksLikeIntrinsic, type EvalScope } from './intrinsics';
import { parsePath, readParsed, setPath } from './jsonpath';

export type Scope = EvalScope;

const VAR_RE = /^\$([A-Za-z_][A-Za-z0-9_]*)((?:\.|\[).*)?$/s;

/** Evaluates the value of a "key.$" field. */
export function evalDollarValue(expr: string, field: string, scope: Scope): unknown {
  if (looksLikeIntrinsic(expr)) return evaluateIntrinsic(expr, scope);
  if (expr.startsWith('$$') || expr === '$' || expr.startsWith('$.') || expr.startsWith('$[')) {
    const p = parsePath(expr);
    const doc = p.context ? scope.context : scope.input;
    const r = readParsed(p, doc);
    if (!r.found) throw new RuntimeFault(`The JSONPath '${expr}' specified for the field '${field}' could not be found in the input '${JSON.stringify(doc)}'`);
    return r.value;
  }
  const vm = VAR_RE.exec(expr);
  if (vm) {
    const v = scope.variables?.(vm[1]);
    if (!v || !v.found) throw new RuntimeFault(`The JSONPath '${expr}' specified for the field '${field}' could not be found in the input '${JSON.stringify(scope.input)}'`);
    if (!vm[2]) return v.value;
    const r = readParsed(parsePath(`$${vm[2]}`), v.value);
    if (!r.found) throw new RuntimeFault(`The JSONPath '${expr}' specified for the field '${field}' could not be found in the input '${JSON.stringify(v.value)}'`);
    return r.value;
  }
  throw new RuntimeFault(`The value for the field '${field}' must be a valid JSONPath or a valid intrinsic function call`);
}

/** Applies a payload template. */
export function evalPayload(tpl: unknown, scope: Scope): unknown {
  if (Array.isArray(tpl)) return tpl.map((x) => evalPayload(x, scope));
  if (tpl === null || typeof tpl !== 'object') return tpl;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(tpl)) {
    if (k.endsWith('.$') && typeof v === 'string') out[k.slice(0, -2)] = evalDollarValue(v, k, scope);
    else out[k] = evalPayload(v, scope);
  }
  return out;
}

/**
 * Reads a reference path: "$..." from the data, "$$..." from the context object, "$name..." from a
 * workflow variable.
 */
export function readReference(path: string, scope: Scope): { found: true; value: unknown } | { found: false; reason: string } {
  const vm = path.startsWith('$$') ? null : VAR_RE.exec(path);
  if (vm) {
    const v = scope.variables?.(vm[1]);
    if (!v || !v.found) return { found: false, reason: `Invalid path '${path}' : The variable '$${vm[1]}' is not defined` };
    if (!vm[2]) return { found: true, value: v.value };
    return readParsed(parsePath(`$${vm[2]}`), v.value);
  }
  const p = parsePath(path);
  return readParsed(p, p.context ? scope.context : scope.input);
}

/** InputPath / OutputPath: undefined means "$", null means {}. */
export function applyFilterPath(path: string | null | undefined, scope: Scope): unknown {
  if (path === undefined || path === '$') return scope.input;
  if (path === null) return {};
  const r = readReference(path, scope);
  if (!r.found) throw new RuntimeFault(r.reason);
  return r.value;
}

/** ResultPath: undefined means "$" (the result replaces the input), null discards the result. */
export function applyResultPath(path: string | null | undefined, rawInput: unknown, result: unknown): unknown {
  if (path === undefined || path === '$') return result;
  if (path === null) return rawInput;
  const r = setPath(path, rawInput, result);
  if (!r.ok) throw new RuntimeFault(r.reason);
  return r.value;
}
