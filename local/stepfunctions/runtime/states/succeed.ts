/** Succeed: ends its branch with its (filtered) input. */
import type { StateContext, StateResult } from '../execution';
import { effectiveInput, finishWithInput } from '../io';

export async function runSucceed(ctx: StateContext): Promise<StateResult> {
  return finishWithInput(ctx, effectiveInput(ctx), null);
}
