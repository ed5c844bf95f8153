/**
 * Fail: fails its branch with Error/ErrorPath and Cause/CausePath. Without them the error and the cause
 * are null (the recorded ExecutionFailed then has empty details).
 */
import { RuntimeFault, StatesError } from '../errors';
import type { StateContext, StateResult } from '../execution';
import { bindings, scopeOf } from '../io';
import { evalJsonataValue } from '../jsonata';
import { evaluateIntrinsic, looksLikeIntrinsic } from '../intrinsics';
import { readReference } from '../payload';

export async function runFail(ctx: StateContext): Promise<StateResult> {
  const s = ctx.state;
  let error: unknown = s.Error;
  let cause: unknown = s.Cause;
  if (ctx.ql === 'JSONata') {
    const b = bindings(ctx, {});
    if (error !== undefined) error = await evalJsonataValue(error, 'Error', b);
    if (cause !== undefined) cause = await evalJsonataValue(cause, 'Cause', b);
  } else {
    const scope = scopeOf(ctx, ctx.input);
    const read = (path: string, field: string) => {
      if (looksLikeIntrinsic(path)) return evaluateIntrinsic(path, scope);
      const r = readReference(path, scope);
      if (!r.found) throw new RuntimeFault(`The JSONPath '${path}' specified for the field '${field}' could not be found in the input '${JSON.stringify(ctx.input)}'`);
      return r.value;
    };
    if (s.ErrorPath !== undefined) error = read(s.ErrorPath, 'ErrorPath');
    if (s.CausePath !== undefined) cause = read(s.CausePath, 'CausePath');
  }
  const str = (v: unknown) => (v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v));
  throw new StatesError(str(error) ?? '', str(cause));
}
