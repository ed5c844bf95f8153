/**
 * X-Ray segment documents: the shape the X-Ray SDKs, the daemon and PutTraceSegments carry, the
 * checks AWS applies to them, ids, and the trace header (`Root=1-…;Parent=…;Sampled=1`).
 *
 * A segment document is JSON. Required: `name`, `id` (16 hex), `trace_id` (`1-<8 hex epoch
 * seconds>-<24 hex>`), `start_time` (epoch seconds, fractional), and either `end_time` or
 * `in_progress: true`. An independent subsegment also has `type: "subsegment"` and `parent_id`.
 * Subsegments may be embedded (`subsegments: [...]`) to any depth.
 */
import { randomFillSync } from 'node:crypto';

export interface HttpInfo {
  request?: { method?: string; url?: string; user_agent?: string; client_ip?: string; x_forwarded_for?: boolean; traced?: boolean };
  response?: { status?: number; content_length?: number };
}

export interface Cause {
  working_directory?: string;
  paths?: string[];
  exceptions?: Array<{ id?: string; message?: string; type?: string; remote?: boolean; stack?: unknown[] }>;
}

export interface SegmentDocument {
  name: string;
  id: string;
  trace_id?: string;
  parent_id?: string;
  type?: 'subsegment';
  start_time: number;
  end_time?: number;
  in_progress?: boolean;
  origin?: string;
  namespace?: 'aws' | 'remote' | string;
  service?: { version?: string };
  user?: string;
  resource_arn?: string;
  http?: HttpInfo;
  aws?: Record<string, unknown>;
  error?: boolean;
  fault?: boolean;
  throttle?: boolean;
  cause?: Cause | string;
  annotations?: Record<string, string | number | boolean>;
  metadata?: Record<string, Record<string, unknown>>;
  subsegments?: SegmentDocument[];
  precursor_ids?: string[];
  /** span links (X-Ray accepts them from OpenTelemetry): other spans this one relates to */
  links?: Array<{ trace_id: string; id: string; attributes?: Record<string, unknown> }>;
  sql?: Record<string, unknown>;
}

const TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const SEGMENT_ID = /^[0-9a-f]{16}$/;
const ANNOTATION_KEY = /^[A-Za-z0-9_]{1,500}$/;

export class InvalidSegmentError extends Error {
  constructor(
    message: string,
    readonly segmentId?: string,
  ) {
    super(message);
    this.name = 'InvalidSegmentError';
  }
}

/** Parses and checks one document as the X-Ray service does; throws InvalidSegmentError. */
export function parseSegment(text: string): SegmentDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new InvalidSegmentError('Invalid segment. ErrorCode: InvalidSegment.MalformedJson');
  }
  checkSegment(doc, true);
  return doc as SegmentDocument;
}

function checkSegment(doc: unknown, top: boolean): asserts doc is SegmentDocument {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new InvalidSegmentError('Invalid segment. ErrorCode: InvalidSegment.NotAnObject');
  const d = doc as Record<string, unknown>;
  const id = typeof d.id === 'string' ? d.id : undefined;
  const fail = (code: string) => {
    throw new InvalidSegmentError(`Invalid segment. ErrorCode: ${code}`, id);
  };
  if (!id || !SEGMENT_ID.test(id)) fail('InvalidSegment.InvalidId');
  if (typeof d.name !== 'string' || d.name.length === 0 || d.name.length > 200) fail('InvalidSegment.InvalidName');
  if (typeof d.start_time !== 'number' || !Number.isFinite(d.start_time)) fail('InvalidSegment.MissingStartTime');
  if (d.end_time === undefined) {
    if (d.in_progress !== true) fail('InvalidSegment.MissingEndTime');
  } else if (typeof d.end_time !== 'number' || !Number.isFinite(d.end_time)) fail('InvalidSegment.InvalidEndTime');
  if (top) {
    if (typeof d.trace_id !== 'string' || !TRACE_ID.test(d.trace_id)) fail('InvalidSegment.InvalidTraceId');
    if (d.type === 'subsegment' && (typeof d.parent_id !== 'string' || !SEGMENT_ID.test(d.parent_id))) fail('InvalidSegment.MissingParentId');
  }
  if (d.parent_id !== undefined && (typeof d.parent_id !== 'string' || !SEGMENT_ID.test(d.parent_id))) fail('InvalidSegment.InvalidParentId');
  if (d.annotations !== undefined) {
    if (!d.annotations || typeof d.annotations !== 'object') fail('InvalidSegment.InvalidAnnotations');
    for (const [k, v] of Object.entries(d.annotations as object)) {
      if (!ANNOTATION_KEY.test(k) || !['string', 'number', 'boolean'].includes(typeof v)) fail('InvalidSegment.InvalidAnnotations');
    }
  }
  if (d.subsegments !== undefined) {
    if (!Array.isArray(d.subsegments)) fail('InvalidSegment.InvalidSubsegments');
    for (const s of d.subsegments as unknown[]) checkSegment(s, false);
  }
}

// ids: random bytes from a pooled buffer (segments are made on hot paths)
const POOL = 4096;
const pool = Buffer.allocUnsafe(POOL);
let at = POOL;
function hex(bytes: number): string {
  if (at + bytes > POOL) {
    randomFillSync(pool);
    at = 0;
  }
  const s = pool.toString('hex', at, at + bytes);
  at += bytes;
  return s;
}

export const newSegmentId = (): string => hex(8);

export function newTraceId(nowMs = Date.now()): string {
  return `1-${Math.floor(nowMs / 1000).toString(16).padStart(8, '0')}-${hex(12)}`;
}

export interface TraceHeader {
  root: string;
  parent?: string;
  sampled?: boolean;
}

/** Reads `Root=…;Parent=…;Sampled=…` (the X-Amzn-Trace-Id header, `_X_AMZN_TRACE_ID`). */
export function parseTraceHeader(header: string | undefined): TraceHeader | undefined {
  if (!header) return undefined;
  let root: string | undefined;
  let parent: string | undefined;
  let sampled: boolean | undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 'Root') root = v;
    else if (k === 'Parent') parent = v;
    else if (k === 'Sampled') sampled = v === '1' ? true : v === '0' ? false : undefined;
  }
  if (!root || !TRACE_ID.test(root)) return undefined;
  return { root, parent: parent && SEGMENT_ID.test(parent) ? parent : undefined, sampled };
}

export function formatTraceHeader(h: TraceHeader): string {
  return `Root=${h.root}${h.parent ? `;Parent=${h.parent}` : ''}${h.sampled === undefined ? '' : `;Sampled=${h.sampled ? 1 : 0}`}`;
}

/** Epoch seconds with microseconds, as the SDKs write them. */
export const epochSeconds = (ms: number): number => Math.round(ms * 1000) / 1_000_000;

/** Calls each (sub)segment of a document, depth first, with its parent's id. */
export function walk(doc: SegmentDocument, fn: (s: SegmentDocument, parentId: string | undefined, depth: number) => void, parentId = doc.parent_id, depth = 0): void {
  fn(doc, parentId, depth);
  if (doc.subsegments) for (const s of doc.subsegments) walk(s, fn, doc.id, depth + 1);
}
