/**
 * A state's input and output processing in both query languages.
 *
 * JSONPath: InputPath -> Parameters (or ItemSelector) -> work -> ResultSelector -> Assign -> ResultPath
 * -> OutputPath. JSONata: Arguments -> work -> Assign and Output (both see the same $states and the
 * variables as they were when the state was entered; new values are visible from the next state on).
 */
import type { Catcher } from '../asl/types';
import type { StatesError } from './errors';
import type { StateContext, StateResult } from './execution';
import { evalJsonataValue, type JsonataBindings } from './jsonata';
import { applyFilterPath, applyResultPath, evalDollarValue, evalPayload, type Scope } from './payload';
import { lookupVar, visibleVars } from './variables';

/** The JSONPath scope of a state: `$` = data, `$$` = context object, `$name` = variables. */
export function scopeOf(ctx: StateContext, data: unknown, context?: Record<string, unknown>): Scope {
  return { input: data, context: context ?? ctx.context(), variables: (n) => lookupVar(ctx.thread.vars, n) };
}

export function bindings(ctx: StateContext, states: Record<string, unknown>, context?: Record<string, unknown>): JsonataBindings {
  return { states: { input: ctx.input, context: context ?? ctx.context(), ...states }, variables: visibleVars(ctx.thread.vars) };
}

/** JSONPath: InputPath applied to the raw input. JSONata: the raw input. */
export function effectiveInput(ctx: StateContext): unknown {
  if (ctx.ql === 'JSONata') return ctx.input;
  return applyFilterPath(ctx.state.InputPath, scopeOf(ctx, ctx.input));
}

/** What a Task (or Parallel branch...) receives: Parameters / Arguments, else the effective input. */
export async function taskArguments(ctx: StateContext, effInput: unknown, context: Record<string, unknown>): Promise<unknown> {
  if (ctx.ql === 'JSONata') {
    if (ctx.state.Arguments === undefined) return ctx.input;
    return evalJsonataValue(ctx.state.Arguments, 'Arguments', bindings(ctx, {}, context));
  }
  if (ctx.state.Parameters === undefined) return effInput;
  return evalPayload(ctx.state.Parameters, scopeOf(ctx, effInput, context));
}

/** JSONPath Assign: values may be paths ($ = `data`), intrinsic functions, variables or literals. */
export function assignJsonPath(ctx: StateContext, assign: Record<string, unknown>, data: unknown, context?: Record<string, unknown>): Record<string, unknown> {
  const scope = scopeOf(ctx, data, context);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(assign)) {
    if (k.endsWith('.$') && typeof v === 'string') out[k.slice(0, -2)] = evalDollarValue(v, k, scope);
    else out[k] = evalPayload(v, scope);
  }
  return out;
}

export async function assignJsonata(ctx: StateContext, assign: Record<string, unknown>, b: JsonataBindings): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(assign)) out[k] = await evalJsonataValue(v, `Assign/${k}`, b);
  return out;
}

/**
 * The output of a state that produced `result` (Task, Parallel, Map, Pass):
 * JSONPath ResultSelector/ResultPath/OutputPath, JSONata Output (default: the result).
 */
export async function finishWithResult(ctx: StateContext, result: unknown, opts: { selector?: boolean; context?: Record<string, unknown> } = {}): Promise<StateResult> {
  const s = ctx.state;
  const next = s.End ? null : (s.Next ?? null);
  if (ctx.ql === 'JSONata') {
    const b = bindings(ctx, { result }, opts.context);
    const assigned = s.Assign ? await assignJsonata(ctx, s.Assign, b) : undefined;
    const output = s.Output !== undefined ? await evalJsonataValue(s.Output, 'Output', b) : result;
    return { output, next, assigned };
  }
  const selected = opts.selector !== false && s.ResultSelector !== undefined ? evalPayload(s.ResultSelector, scopeOf(ctx, result, opts.context)) : result;
  const assigned = s.Assign ? assignJsonPath(ctx, s.Assign, selected, opts.context) : undefined;
  const merged = applyResultPath(s.ResultPath, ctx.input, selected);
  const output = applyFilterPath(s.OutputPath, scopeOf(ctx, merged, opts.context));
  return { output, next, assigned };
}

/** The output of a state that passes its input on (Wait, Succeed, Choice): OutputPath / Output. */
export async function finishWithInput(ctx: StateContext, effInput: unknown, next: string | null, assign?: Record<string, unknown>): Promise<StateResult> {
  const s = ctx.state;
  if (ctx.ql === 'JSONata') {
    const b = bindings(ctx, {});
    const assigned = assign ? await assignJsonata(ctx, assign, b) : undefined;
    const output = s.Output !== undefined ? await evalJsonataValue(s.Output, 'Output', b) : ctx.input;
    return { output, next, assigned };
  }
  const assigned = assign ? assignJsonPath(ctx, assign, effInput) : undefined;
  const output = applyFilterPath(s.OutputPath, scopeOf(ctx, effInput));
  return { output, next, assigned };
}

/** A Catch that matched: its error output placed by ResultPath (JSONPath) or shaped by Output (JSONata). */
export async function caughtOutput(ctx: StateContext, catcher: Catcher, e: StatesError): Promise<StateResult> {
  const errorOutput = { Error: e.error, Cause: e.errorCause ?? '' };
  if (ctx.ql === 'JSONata') {
    const b = bindings(ctx, { errorOutput });
    const assigned = catcher.Assign ? await assignJsonata(ctx, catcher.Assign, b) : undefined;
    const output = catcher.Output !== undefined ? await evalJsonataValue(catcher.Output, 'Output', b) : errorOutput;
    return { output, next: catcher.Next, assigned };
  }
  const assigned = catcher.Assign ? assignJsonPath(ctx, catcher.Assign, errorOutput) : undefined;
  const output = applyResultPath(catcher.ResultPath, ctx.input, errorOutput);
  return { output, next: catcher.Next, assigned };
}
