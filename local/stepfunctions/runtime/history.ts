/**
 * AWS's execution history model: events with a sequential `id`, the `previousEventId` of the event that
 * led to them, a `timestamp`, a `type` and one `<camelCaseType>EventDetails` object (input and output
 * as JSON text, with `inputDetails`/`outputDetails`). Stored events also carry fields AWS does not serve
 * (`_th` the thread that wrote them, `_x` what the interpreter needs to resume), stripped by `publicEvent`.
 */

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  /** epoch milliseconds */
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

/** Resume data kept with an event (never served). */
export interface EventExtra {
  /** StateExited: the next state, or null when the state ended its branch. */
  next?: string | null;
  /** TaskScheduled of a .waitForTaskToken task: its token. */
  token?: string;
  /** *Failed events of Map/Parallel: the error that failed them. */
  error?: string | null;
  cause?: string | null;
  /** TaskTimedOut of a heartbeat timeout. */
  heartbeat?: boolean;
}

export interface StoredEvent extends HistoryEvent {
  _th: string;
  _x?: EventExtra;
}

/** A retry decision: the retriers' attempt counts after it and when the next attempt starts. */
export interface RetryRecord {
  _retry: true;
  _th: string;
  /** id of the state's Entered event */
  en: number;
  n: number[];
  until: number;
  /** id of the last event written before the decision: events after it belong to the next attempt */
  after: number;
}

export type JournalLine = StoredEvent | RetryRecord;

const DETAILS_KEY = new Map<string, string>();

/** "TaskStateEntered" -> "stateEnteredEventDetails", "MapIterationStarted" -> "mapIterationStartedEventDetails". */
export function detailsKey(type: string): string {
  let k = DETAILS_KEY.get(type);
  if (!k) {
    if (/StateEntered$/.test(type) && !/^(Map|Parallel)State(Started|Succeeded|Failed|Aborted)$/.test(type)) k = 'stateEnteredEventDetails';
    else if (/StateExited$/.test(type)) k = 'stateExitedEventDetails';
    else k = `${type[0].toLowerCase()}${type.slice(1)}EventDetails`;
    DETAILS_KEY.set(type, k);
  }
  return k;
}

export function publicEvent(e: StoredEvent | HistoryEvent, includeData = true): HistoryEvent {
  const out: HistoryEvent = { timestamp: e.timestamp, type: e.type, id: e.id, previousEventId: e.previousEventId };
  for (const [k, v] of Object.entries(e)) {
    if (k === 'timestamp' || k === 'type' || k === 'id' || k === 'previousEventId' || k === '_th' || k === '_x') continue;
    out[k] = includeData ? v : stripData(v);
  }
  return out;
}

/** includeExecutionData=false: the details without input, output, error causes' payloads. */
function stripData(v: unknown): unknown {
  if (!v || typeof v !== 'object') return v;
  const o = { ...(v as Record<string, unknown>) };
  delete o.input;
  delete o.output;
  delete o.parameters;
  delete o.cause;
  return o;
}

export const json = (v: unknown): string => JSON.stringify(v === undefined ? null : v);
export const truncatedFalse = Object.freeze({ truncated: false });

export function isTerminal(type: string): boolean {
  return type === 'ExecutionSucceeded' || type === 'ExecutionFailed' || type === 'ExecutionAborted' || type === 'ExecutionTimedOut';
}
