/** Pass: its Result (or its Parameters, or its input) placed by ResultPath; JSONata: its Output. */
import type { StateContext, StateResult } from '../execution';
import { effectiveInput, finishWithResult, scopeOf } from '../io';
import { evalPayload } from '../payload';

export async function runPass(ctx: StateContext): Promise<StateResult> {
  if (ctx.ql === 'JSONata') return finishWithResult(ctx, ctx.input);
  const eff = effectiveInput(ctx);
  let result: unknown = eff;
  if (ctx.state.Parameters !== undefined) result = evalPayload(ctx.state.Parameters, scopeOf(ctx, eff));
  if (ctx.state.Result !== undefined) result = ctx.state.Result;
  return finishWithResult(ctx, result, { selector: false });
}
