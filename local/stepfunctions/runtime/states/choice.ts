/**
 * Choice: the Next of the first rule that matches (JSONPath rules, or a JSONata Condition), else Default,
 * else States.NoChoiceMatched. A matching rule's Assign replaces the state's own, which applies to Default.
 */
import { QueryFault, StatesError } from '../errors';
import type { StateContext, StateResult } from '../execution';
import { bindings, effectiveInput, finishWithInput, scopeOf } from '../io';
import { evalChoiceRule } from '../choice-rules';
import { evalJsonataString } from '../jsonata';

export async function runChoice(ctx: StateContext): Promise<StateResult> {
  const s = ctx.state;
  const eff = effectiveInput(ctx);
  const rules = s.Choices ?? [];
  if (ctx.ql === 'JSONata') {
    const b = bindings(ctx, {});
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      const c = rule.Condition;
      const v = typeof c === 'string' ? await evalJsonataString(c, `Choices/${i}/Condition`, b) : c;
      if (typeof v !== 'boolean') throw new QueryFault(`The JSONata expression '${String(c)}' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '${v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v}' for value: ${JSON.stringify(v)}`);
      if (v) return finishWithInput(ctx, eff, rule.Next as string, (rule.Assign as Record<string, unknown>) ?? undefined);
    }
  } else {
    const scope = scopeOf(ctx, eff);
    for (const rule of rules) {
      if (evalChoiceRule(rule, scope)) return finishWithInput(ctx, eff, rule.Next as string, (rule.Assign as Record<string, unknown>) ?? undefined);
    }
  }
  if (s.Default) return finishWithInput(ctx, eff, s.Default, s.Assign);
  throw new StatesError('States.NoChoiceMatched', `No Matches!`);
}
