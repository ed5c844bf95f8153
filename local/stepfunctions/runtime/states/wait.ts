/**
 * Wait: Seconds, SecondsPath, Timestamp or TimestampPath, measured from the time the state was entered
 * (so a resumed execution waits only for the time left). Runtime checks and their wording follow the
 * AWS-recorded cases: SecondsPath must reference a non-negative integer, TimestampPath an RFC 3339
 * timestamp, and the delay must fit in a signed 32-bit number of seconds.
 */
import { parseTimestamp } from '../choice-rules';
import { QueryFault, RuntimeFault } from '../errors';
import type { StateContext, StateResult } from '../execution';
import { bindings, effectiveInput, finishWithInput, scopeOf } from '../io';
import { evalJsonataValue } from '../jsonata';
import { readReference } from '../payload';

const MAX_DELAY_S = 2 ** 31 - 1;

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

export async function waitUntil(ctx: StateContext, eff: unknown): Promise<number> {
  const s = ctx.state;
  let seconds: number | null = null;
  let until: number | null = null;
  if (ctx.ql === 'JSONata') {
    const b = bindings(ctx, {});
    if (s.Seconds !== undefined) {
      const v = await evalJsonataValue(s.Seconds, 'Seconds', b);
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new QueryFault(`The Seconds field must be a non-negative integer, but was: ${show(v)}`);
      seconds = v;
    } else if (s.Timestamp !== undefined) {
      const v = await evalJsonataValue(s.Timestamp, 'Timestamp', b);
      const t = parseTimestamp(v);
      if (t === null) throw new QueryFault(`The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${show(v)}`);
      until = t;
    }
  } else if (typeof s.Seconds === 'number') seconds = s.Seconds;
  else if (s.SecondsPath !== undefined) {
    const r = readReference(s.SecondsPath, scopeOf(ctx, eff));
    if (!r.found) throw new RuntimeFault(`The SecondsPath parameter does not reference an input value: ${s.SecondsPath}`);
    if (typeof r.value !== 'number' || !Number.isInteger(r.value)) throw new RuntimeFault(`The SecondsPath parameter cannot be parsed as a long value: ${s.SecondsPath} == ${show(r.value)}`);
    if (r.value < 0) throw new RuntimeFault(`The SecondsPath parameter references a negative value: ${s.SecondsPath} == ${show(r.value)}`);
    seconds = r.value;
  } else if (s.Timestamp !== undefined) {
    const t = parseTimestamp(s.Timestamp);
    if (t === null) throw new RuntimeFault(`The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${s.Timestamp}`);
    until = t;
  } else if (s.TimestampPath !== undefined) {
    const r = readReference(s.TimestampPath, scopeOf(ctx, eff));
    const t = r.found ? parseTimestamp(r.value) : null;
    if (t === null) throw new RuntimeFault(`The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${s.TimestampPath} == ${r.found ? show(r.value) : 'null'}`);
    until = t;
  }
  if (seconds !== null) {
    if (seconds > MAX_DELAY_S) throw new RuntimeFault('Wait state delay is too long.');
    until = ctx.enteredTime + seconds * 1000;
  } else if (until !== null && (until - ctx.enteredTime) / 1000 > MAX_DELAY_S) throw new RuntimeFault('Wait state delay is too long.');
  return until ?? ctx.enteredTime;
}

export async function runWait(ctx: StateContext): Promise<StateResult> {
  const eff = effectiveInput(ctx);
  const until = await waitUntil(ctx, eff);
  const clock = ctx.runner.deps.clock;
  const left = until - clock.now();
  if (left > 0) {
    if (left > 1000) ctx.runner.idle();
    await clock.sleep(left, ctx.thread.signal);
  }
  const s = ctx.state;
  return finishWithInput(ctx, eff, s.End ? null : (s.Next ?? null), s.Assign);
}
