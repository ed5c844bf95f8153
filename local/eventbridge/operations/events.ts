/** PutEvents and TestEventPattern. */
import { busNameOf } from '../arns';
import { validationError } from '../errors';
import type { EventRecord } from '../model';
import { matchesEvent } from '../pattern';
import { compilePatternOrThrow, eventTime, type EventBridgeService } from '../service';
import { C } from '../validation';
import { check, timestampMs, type Input } from './common';

/** PutEvents accepts at most 256 KiB of entries (counted as the user guide's "entry size"). */
export const MAX_PUT_EVENTS_BYTES = 256 * 1024;

export interface PutEventsEntry {
  Time?: number | string | Date;
  Source?: string;
  Resources?: string[];
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  TraceHeader?: string;
}

export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export interface PutEventsResult {
  FailedEntryCount: number;
  Entries: PutEventsResultEntry[];
}

/** The entry size of the user guide: Time (14), Source, DetailType, Detail and each resource, in UTF-8. */
export function entrySize(e: PutEventsEntry): number {
  let n = e.Time !== undefined ? 14 : 0;
  if (typeof e.Source === 'string') n += Buffer.byteLength(e.Source);
  if (typeof e.DetailType === 'string') n += Buffer.byteLength(e.DetailType);
  if (typeof e.Detail === 'string') n += Buffer.byteLength(e.Detail);
  for (const r of e.Resources ?? []) if (typeof r === 'string') n += Buffer.byteLength(r);
  return n;
}

/** Java's Date.toString in UTC, as the service prints a request entry's time. */
function javaDate(ms: number): string {
  const d = new Date(ms);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${day} ${mon} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** How the service renders the entries in its "at 'entries'" validation message. */
function renderEntries(entries: PutEventsEntry[]): string {
  const v = (x: unknown) => (x === undefined || x === null ? 'null' : String(x));
  const one = (e: PutEventsEntry) => {
    const t = e.Time === undefined ? 'null' : javaDate(timestampMs(e.Time instanceof Date ? e.Time.getTime() / 1000 : e.Time) ?? 0);
    const res = Array.isArray(e.Resources) ? `[${e.Resources.join(', ')}]` : 'null';
    return `PutEventsRequestEntry(time=${t}, source=${v(e.Source)}, resources=${res}, detailType=${v(e.DetailType)}, detail=${v(e.Detail)}, eventBusName=${v(e.EventBusName)}, traceHeader=${v(e.TraceHeader)}, kmsKeyIdentifier=null, internalMetadata=null)`;
  };
  return `[${entries.map(one).join(', ')}]`;
}

function entryError(e: PutEventsEntry): { ErrorCode: string; ErrorMessage: string } | { detail: unknown } {
  const missing = (k: 'Source' | 'DetailType' | 'Detail') => ({
    ErrorCode: 'InvalidArgument',
    ErrorMessage: `Parameter ${k} is not valid. Reason: ${k} is a required argument.`,
  });
  if (typeof e.Source !== 'string' || e.Source === '') return missing('Source');
  if (typeof e.DetailType !== 'string' || e.DetailType === '') return missing('DetailType');
  if (typeof e.Detail !== 'string' || e.Detail === '') return missing('Detail');
  if (e.Source.startsWith('aws.')) return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
  let detail: unknown;
  try {
    detail = JSON.parse(e.Detail);
  } catch {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  if (e.Resources !== undefined && (!Array.isArray(e.Resources) || e.Resources.some((r) => typeof r !== 'string'))) {
    return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Resources is not valid.' };
  }
  return { detail };
}

/**
 * Validates and routes the entries. An entry for a bus that does not exist is accepted and
 * dropped, as EventBridge does (it returns an EventId and delivers nothing); it is logged here.
 */
export async function putEventEntries(svc: EventBridgeService, entries: PutEventsEntry[]): Promise<PutEventsResult> {
  if (entries.length > 10) {
    throw validationError(
      `1 validation error detected: Value '${renderEntries(entries)}' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10`,
    );
  }
  if (entries.length < 1) throw validationError("1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1");
  if (entries.reduce((n, e) => n + entrySize(e), 0) > MAX_PUT_EVENTS_BYTES) throw validationError('Total size of the entries in the request is over the limit.');
  const now = svc.clock.now();
  const results: PutEventsResultEntry[] = [];
  const routing: Promise<void>[] = [];
  for (const e of entries) {
    const checked = entryError(e);
    if (!('detail' in checked)) {
      results.push(checked);
      continue;
    }
    const timeMs = e.Time === undefined ? now : e.Time instanceof Date ? e.Time.getTime() : timestampMs(e.Time);
    const event = {
      version: '0',
      id: svc.newEventId(),
      'detail-type': e.DetailType as string,
      source: e.Source as string,
      account: svc.scope.accountId,
      time: eventTime(timeMs ?? now),
      region: svc.scope.region,
      resources: e.Resources ?? [],
      detail: checked.detail,
    };
    results.push({ EventId: event.id });
    const bus = svc.buses.get(busNameOf(svc.scope, e.EventBusName));
    if (!bus) {
      svc.log(`eventbridge: event ${event.id} for event bus ${e.EventBusName} accepted and dropped: the bus does not exist (EventBridge does the same)`);
      continue;
    }
    const rec: EventRecord = { event, json: JSON.stringify(event), ingestMs: now };
    routing.push(svc.route(bus, rec));
  }
  await Promise.all(routing);
  return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
}

export async function putEvents(svc: EventBridgeService, input: Input) {
  check(input, [{ key: 'Entries', required: true, type: 'list' }, { key: 'EndpointId', type: 'string' }]);
  return putEventEntries(svc, input.Entries as PutEventsEntry[]);
}

const MANDATORY_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'];

export function testEventPattern(_svc: EventBridgeService, input: Input) {
  check(input, [{ ...C.eventPattern(), required: true }, { key: 'Event', required: true, type: 'string' }]);
  const pattern = compilePatternOrThrow(input.EventPattern as string);
  let event: unknown;
  try {
    event = JSON.parse(input.Event as string);
  } catch {
    throw validationError('Parameter Event is not valid.');
  }
  if (event === null || typeof event !== 'object' || Array.isArray(event) || MANDATORY_EVENT_FIELDS.some((f) => !(f in event))) {
    throw validationError('Parameter Event is not valid.');
  }
  return { Result: matchesEvent(pattern, event) };
}
