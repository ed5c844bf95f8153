/**
 * X-Ray segment documents as OTLP spans, mapped as the OpenTelemetry collector's X-Ray receiver
 * (awsxrayreceiver's translator) maps them:
 *
 * - trace id: `1-5759e988-bd862e3fe1be46a994272793` -> `5759e988bd862e3fe1be46a994272793`;
 *   span id = the (sub)segment id; parent span id = `parent_id`, or for an embedded subsegment the
 *   id of the (sub)segment it is embedded in;
 * - kind: a segment is SERVER, a subsegment with a namespace (`aws`, `remote`) is CLIENT, any
 *   other subsegment INTERNAL;
 * - status: ERROR for a fault or an error (message from the cause), else UNSET;
 * - attributes: annotations as they are (key -> value), metadata as `aws.xray.metadata.<namespace>`
 *   (JSON), HTTP as the semantic conventions (`http.method`, `http.url`, `http.status_code`,
 *   `http.user_agent`, `http.client_ip`), `aws.*` fields (`aws.operation`, `aws.region`,
 *   `aws.table_name`, `aws.request_id`…), `aws.xray.namespace`, `aws.xray.origin`…;
 * - resource: `service.name` = the segment's name, `cloud.provider` = aws; subsegments share their
 *   segment's resource;
 * - links (X-Ray `links`) -> span links.
 *
 * The encoding is OTLP/HTTP JSON (ids as hex, times as decimal strings of Unix nanoseconds).
 */
import type { SegmentDocument } from '../segments';

type AnyValue = { stringValue: string } | { boolValue: boolean } | { intValue: string } | { doubleValue: number };
export interface KeyValue {
  key: string;
  value: AnyValue;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  status: { code: number; message?: string };
  links?: Array<{ traceId: string; spanId: string; attributes: KeyValue[] }>;
}

export interface ResourceSpans {
  resource: { attributes: KeyValue[] };
  scopeSpans: Array<{ scope: { name: string; version?: string }; spans: OtlpSpan[] }>;
}

export const SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3 } as const;
export const STATUS = { UNSET: 0, OK: 1, ERROR: 2 } as const;

export const otlpTraceId = (xrayTraceId: string) => xrayTraceId.replace(/^1-/, '').replace('-', '');

function value(v: unknown): AnyValue {
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (typeof v === 'string') return { stringValue: v };
  return { stringValue: JSON.stringify(v) };
}

const kv = (key: string, v: unknown): KeyValue => ({ key, value: value(v) });

function nanos(seconds: number): string {
  // seconds carry microseconds: exact as an integer number of microseconds, then 000
  return `${Math.round(seconds * 1_000_000)}000`;
}

function causeMessage(s: SegmentDocument): string | undefined {
  if (!s.cause) return undefined;
  if (typeof s.cause === 'string') return s.cause;
  return s.cause.exceptions?.[0]?.message;
}

function attributes(s: SegmentDocument, segment: boolean): KeyValue[] {
  const out: KeyValue[] = [];
  if (s.annotations) for (const [k, v] of Object.entries(s.annotations)) out.push(kv(k, v));
  if (s.metadata) for (const [ns, m] of Object.entries(s.metadata)) out.push(kv(`aws.xray.metadata.${ns}`, JSON.stringify(m)));
  const rq = s.http?.request;
  const rs = s.http?.response;
  if (rq?.method) out.push(kv('http.method', rq.method));
  if (rq?.url) out.push(kv('http.url', rq.url));
  if (rq?.user_agent) out.push(kv('http.user_agent', rq.user_agent));
  if (rq?.client_ip) out.push(kv('http.client_ip', rq.client_ip));
  if (rs?.status !== undefined) out.push(kv('http.status_code', rs.status));
  if (rs?.content_length !== undefined) out.push(kv('http.response_content_length', rs.content_length));
  if (s.aws) {
    for (const [k, v] of Object.entries(s.aws)) {
      if (v === undefined || v === null) continue;
      out.push(kv(`aws.${k}`, typeof v === 'object' ? JSON.stringify(v) : v));
    }
  }
  if (s.namespace) out.push(kv('aws.xray.namespace', s.namespace));
  if (segment && s.origin) out.push(kv('aws.xray.origin', s.origin));
  if (s.user) out.push(kv('enduser.id', s.user));
  if (s.resource_arn) out.push(kv('aws.xray.resource_arn', s.resource_arn));
  if (s.in_progress) out.push(kv('aws.xray.inprogress', true));
  if (s.error) out.push(kv('aws.xray.error', true));
  if (s.fault) out.push(kv('aws.xray.fault', true));
  if (s.throttle) out.push(kv('aws.xray.throttle', true));
  return out;
}

/** One segment document (with its embedded subsegments) as resource spans. */
export function toResourceSpans(doc: SegmentDocument, scopeName = 'local-cloud.xray'): ResourceSpans {
  const traceId = otlpTraceId(doc.trace_id!);
  const spans: OtlpSpan[] = [];
  const visit = (s: SegmentDocument, parentId: string | undefined, isSegment: boolean) => {
    const failed = s.fault || s.error;
    const span: OtlpSpan = {
      traceId,
      spanId: s.id,
      name: s.name,
      kind: isSegment ? SPAN_KIND.SERVER : s.namespace ? SPAN_KIND.CLIENT : SPAN_KIND.INTERNAL,
      startTimeUnixNano: nanos(s.start_time),
      endTimeUnixNano: nanos(s.end_time ?? s.start_time),
      attributes: attributes(s, isSegment),
      status: failed ? { code: STATUS.ERROR, ...(causeMessage(s) ? { message: causeMessage(s) } : {}) } : { code: STATUS.UNSET },
    };
    if (parentId) span.parentSpanId = parentId;
    if (s.links?.length) span.links = s.links.map((l) => ({ traceId: otlpTraceId(l.trace_id), spanId: l.id, attributes: Object.entries(l.attributes ?? {}).map(([k, v]) => kv(k, v)) }));
    spans.push(span);
    for (const sub of s.subsegments ?? []) visit(sub, s.id, false);
  };
  visit(doc, doc.parent_id, doc.type !== 'subsegment');
  return {
    resource: { attributes: [kv('service.name', doc.name), kv('cloud.provider', 'aws'), ...(doc.origin ? [kv('cloud.platform', doc.origin)] : [])] },
    scopeSpans: [{ scope: { name: scopeName }, spans }],
  };
}
