/**
 * X-Ray for the Kafka pollers: the trace of the producer goes on to the consumer's invocation.
 *
 * Each record's trace is its `x-amzn-trace-id` header, else the `trace` field of its value when
 * the value is a JSON event envelope. The poller records a segment for the batch (named after the
 * mapping's function, origin `AWS::Lambda::EventSourceMapping`, with the topic, partition and
 * offsets) and invokes the function with a trace header whose Parent is that segment:
 *
 * - every traced record of the batch in one trace: the segment continues it (its parent is the
 *   producer's Parent), so producer, poller and consumer are one trace;
 * - records of several traces: the segment starts a new trace and links (`links`) to each record's
 *   trace, so each producer's trace can be followed to the consumer;
 * - no traced record: a new trace.
 */
import type { SegmentSink } from '../xray';
import { newSegmentId, newTraceId, parseTraceHeader, type SegmentDocument, type TraceHeader } from '../xray/segments';
import type { MskEvent, MskRecord } from './kafka';

const HEADER = 'x-amzn-trace-id';

export function recordTrace(r: MskRecord): TraceHeader | undefined {
  for (const h of r.headers) {
    const bytes = h[HEADER];
    if (bytes) return parseTraceHeader(Buffer.from(bytes).toString('utf8'));
  }
  if (!r.value) return undefined;
  const text = Buffer.from(r.value, 'base64').toString('utf8');
  if (!text.includes('"trace"')) return undefined;
  try {
    const v = JSON.parse(text) as { trace?: unknown };
    return typeof v.trace === 'string' ? parseTraceHeader(v.trace) : undefined;
  } catch {
    return undefined;
  }
}

export interface BatchTrace {
  header: string;
  end(error?: string): void;
}

export function kafkaBatchTrace(functionName: string, functionArn: string | undefined, event: MskEvent, sink: SegmentSink): BatchTrace {
  const records = Object.values(event.records).flat();
  const traces = new Map<string, TraceHeader>();
  for (const r of records) {
    const t = recordTrace(r);
    if (t && t.sampled !== false && !traces.has(t.root)) traces.set(t.root, t);
  }
  const start = Date.now();
  // a batch that continues no sampled trace starts one, decided by the sampling rule in force
  if (!traces.size && sink.sample && !sink.sample()) return { header: `Root=${newTraceId(start)};Parent=${newSegmentId()};Sampled=0`, end: () => undefined };
  const single = traces.size === 1 ? [...traces.values()][0]! : undefined;
  const traceId = single?.root ?? newTraceId(start);
  const id = newSegmentId();
  return {
    header: `Root=${traceId};Parent=${id};Sampled=1`,
    end(error) {
      const first = records[0];
      const seg: SegmentDocument = {
        name: functionName,
        id,
        trace_id: traceId,
        start_time: start / 1000,
        end_time: Date.now() / 1000,
        origin: 'AWS::Lambda::EventSourceMapping',
        aws: {
          event_source_arn: event.eventSourceArn,
          function_arn: functionArn,
          topic: first?.topic,
          partition: first?.partition,
          first_offset: first?.offset,
          last_offset: records[records.length - 1]?.offset,
          record_count: records.length,
        },
      };
      if (single?.parent) seg.parent_id = single.parent;
      if (traces.size > 1) seg.links = [...traces.values()].filter((t) => t.parent).map((t) => ({ trace_id: t.root, id: t.parent! }));
      if (error) {
        seg.fault = true;
        seg.cause = { exceptions: [{ message: error }] };
      }
      sink.put(seg);
    },
  };
}
