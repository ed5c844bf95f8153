/**
 * Map (inline; a DISTRIBUTED processor runs inline too): runs its ItemProcessor (or legacy Iterator) once
 * per item of ItemsPath (JSONata: Items), at most MaxConcurrency at a time (0 = no limit; at most 40, as
 * an inline Map). Each iteration's input is ItemSelector (or legacy Parameters), evaluated with
 * $$.Map.Item.{Index,Value}, else the item. ToleratedFailureCount/Percentage let some iterations fail.
 *
 * History: MapStateEntered, MapStateStarted {length}, per iteration MapIterationStarted {index, name}, its
 * states, MapIterationSucceeded | MapIterationFailed | MapIterationAborted; MapStateSucceeded |
 * MapStateFailed, MapStateExited.
 */
import { QueryFault, RuntimeFault, StatesError } from '../errors';
import type { StateContext, StateResult } from '../execution';
import { bindings, effectiveInput, finishWithResult, scopeOf } from '../io';
import { evalJsonataValue } from '../jsonata';
import { evalPayload, readReference } from '../payload';
import { withRetry } from '../retry';
import { runBranches } from './parallel';

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

async function numberField(ctx: StateContext, eff: unknown, field: 'MaxConcurrency' | 'ToleratedFailureCount' | 'ToleratedFailurePercentage'): Promise<number | undefined> {
  const s = ctx.state;
  const v = s[field];
  if (ctx.ql === 'JSONata' && typeof v === 'string') {
    const x = await evalJsonataValue(v, field, bindings(ctx, {}));
    if (typeof x !== 'number' || x < 0) throw new QueryFault(`The ${field} field refers to value "${JSON.stringify(x)}" which is not a valid non-negative number`);
    return x;
  }
  if (typeof v === 'number') return v;
  const path = s[`${field}Path`];
  if (path === undefined) return undefined;
  const r = readReference(path, scopeOf(ctx, eff));
  const x = r.found ? r.value : undefined;
  const valid = typeof x === 'number' && x >= 0 && (field === 'ToleratedFailurePercentage' ? x <= 100 : Number.isInteger(x));
  if (!valid) throw new RuntimeFault(`The ${field}Path field refers to value "${x === undefined ? 'null' : JSON.stringify(x)}" which is not a valid ${field === 'ToleratedFailurePercentage' ? 'percentage' : 'non-negative integer'}: ${path}`);
  return x as number;
}

export async function runMap(ctx: StateContext): Promise<StateResult> {
  const s = ctx.state;
  const processor = s.ItemProcessor ?? s.Iterator;
  if (!processor) throw new RuntimeFault('The Map state has no ItemProcessor');
  if (s.ItemReader !== undefined) throw new RuntimeFault('ItemReader (reading items from S3) is not supported by the local Step Functions');
  if (s.ItemBatcher !== undefined) throw new RuntimeFault('ItemBatcher is not supported by the local Step Functions');
  const eff = effectiveInput(ctx);

  let items: unknown;
  if (ctx.ql === 'JSONata') {
    if (s.Items !== undefined) {
      items = await evalJsonataValue(s.Items, 'Items', bindings(ctx, {}));
      if (!Array.isArray(items)) throw new QueryFault(`The JSONata expression '${String(s.Items).replace(/^\s*\{%\s*|\s*%\}\s*$/g, '')}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${typeOf(items)}' for value: ${JSON.stringify(items)}`);
    } else items = ctx.input;
  } else {
    const r = readReference(s.ItemsPath ?? '$', scopeOf(ctx, eff));
    if (!r.found) throw new RuntimeFault(r.reason);
    items = r.value;
  }
  if (!Array.isArray(items)) throw new RuntimeFault(`Map state input must be an array but was: ${JSON.stringify(items)}`);
  const list = items as unknown[];

  const maxConcurrency = await numberField(ctx, eff, 'MaxConcurrency');
  const toleratedCount = await numberField(ctx, eff, 'ToleratedFailureCount');
  const toleratedPct = await numberField(ctx, eff, 'ToleratedFailurePercentage');

  const result = await withRetry(ctx, async (retryCount, prior) => {
    let failures = 0;
    const itemInput = async (i: number): Promise<unknown> => {
      const context = ctx.context({ Map: { Item: { Index: i, Value: list[i] } } }, retryCount);
      if (ctx.ql === 'JSONata') {
        if (s.ItemSelector === undefined) return list[i];
        return evalJsonataValue(s.ItemSelector, 'ItemSelector', bindings(ctx, {}, context));
      }
      const selector = s.ItemSelector ?? s.Parameters;
      if (selector === undefined) return list[i];
      return evalPayload(selector, scopeOf(ctx, eff, context));
    };
    return runBranches(
      ctx,
      prior,
      'Map',
      list.length,
      async (i, thread) => {
        const iterationDetails = { index: i, name: ctx.name };
        const mine = ctx.runner.priorEvents(thread.id);
        if (!mine.some((e) => e.type === 'MapIterationStarted')) ctx.runner.emit(thread, 'MapIterationStarted', iterationDetails);
        try {
          const out = await ctx.runner.runBranch(processor, await itemInput(i), thread, ctx.ql);
          ctx.runner.emit(thread, 'MapIterationSucceeded', iterationDetails);
          return out;
        } catch (e) {
          if (e instanceof StatesError) ctx.runner.emit(thread, 'MapIterationFailed', iterationDetails, { error: e.error, cause: e.errorCause });
          else if (!ctx.runner.isFinished) ctx.runner.emit(thread, 'MapIterationAborted', iterationDetails);
          throw e;
        }
      },
      {
        limit: maxConcurrency,
        startedDetails: { length: list.length },
        childDone: (_i, threadId) => {
          const mine = ctx.runner.priorEvents(threadId);
          const last = mine[mine.length - 1];
          if (!last) return null;
          if (last.type === 'MapIterationSucceeded') {
            const exited = [...mine].reverse().find((e) => /StateExited$/.test(e.type));
            return { ok: true, output: JSON.parse((exited?.stateExitedEventDetails as { output: string }).output) };
          }
          if (last.type === 'MapIterationFailed') return { ok: false, error: new StatesError(last._x?.error ?? '', last._x?.cause ?? null) };
          return null;
        },
        onFailure: (_i, e) => {
          if (toleratedCount === undefined && toleratedPct === undefined) return { tolerated: false };
          failures++;
          const overCount = toleratedCount !== undefined && failures > toleratedCount;
          const overPct = toleratedPct !== undefined && (failures / Math.max(1, list.length)) * 100 > toleratedPct;
          if (overCount || overPct) {
            return { tolerated: false, error: new StatesError('States.ExceedToleratedFailureThreshold', 'The specified tolerated failure threshold was exceeded') };
          }
          return { tolerated: true, output: { Error: e.error, Cause: e.errorCause ?? '' } };
        },
      },
    );
  });
  return finishWithResult(ctx, result);
}
