/**
 * The trace of an event, from the change that made it to its consumers.
 *
 * - The envelope's `trace` is the X-Ray header of the invocation that wrote the event (its Root,
 *   and Parent = that function's segment); the Kafka record carries it as `x-amzn-trace-id`.
 * - Publishing (the outbox publisher, a function of its own trace) records a `remote` subsegment
 *   named after the topic *in the event's trace*, under the writer's segment, and sends the record
 *   with Parent = that subsegment: the publish shows in the order's trace, and what consumes the
 *   record continues from it. (A subsegment document sent to the daemon may name any trace: the
 *   X-Ray SDK does the same for the subsegments of a Lambda function's facade segment.)
 * - The consumer records a subsegment per event; when the event's trace is not the invocation's
 *   (a batch that mixed traces, or a platform that does not continue it) the subsegment links to
 *   it (`links`), so each producer's trace leads to its consumer.
 */
import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { optionalEnv } from '../config';
import { LAMBDA_ENV } from '../env';

export interface TraceHeader {
  root: string;
  parent?: string;
  sampled: boolean;
}

const HEADER = /(?:^|;)\s*Root=(1-[0-9a-f]{8}-[0-9a-f]{24})/;

export function parseTraceHeader(header: string | undefined): TraceHeader | undefined {
  const root = header ? HEADER.exec(header)?.[1] : undefined;
  if (!root) return undefined;
  const parent = /(?:^|;)\s*Parent=([0-9a-f]{16})/.exec(header!)?.[1];
  const sampled = /(?:^|;)\s*Sampled=([01])/.exec(header!)?.[1] !== '0';
  return { root, parent, sampled };
}

export const formatTraceHeader = (h: TraceHeader): string => `Root=${h.root}${h.parent ? `;Parent=${h.parent}` : ''};Sampled=${h.sampled ? 1 : 0}`;

export const newSegmentId = (): string => randomBytes(8).toString('hex');

/** The daemon's UDP address: AWS_XRAY_DAEMON_ADDRESS is `host:port` or `udp:host:port tcp:host:port`. */
export function daemonAddress(value = optionalEnv(LAMBDA_ENV.xrayDaemonAddress)): { host: string; port: number } {
  const udp = (value ?? '127.0.0.1:2000').split(/\s+/).find((p) => !p.startsWith('tcp:')) ?? '127.0.0.1:2000';
  const [host, port] = udp.replace(/^udp:/, '').split(':');
  return { host: host || '127.0.0.1', port: Number(port) || 2000 };
}

let socket: dgram.Socket | undefined;

/** Sends segment documents to the X-Ray daemon (fire and forget, as the SDK does). */
export function sendDocuments(docs: object[]): void {
  if (!docs.length) return;
  if (!socket) {
    socket = dgram.createSocket('udp4');
    socket.on('error', () => undefined); // tracing never fails the work
    socket.unref();
  }
  const { host, port } = daemonAddress();
  for (const d of docs) socket.send(`{"format":"json","version":1}\n${JSON.stringify(d)}`, port, host);
}

export interface PublishSpans {
  /** the header each message goes out with (Parent = its publish subsegment) */
  headers: Array<string | undefined>;
  /** records the subsegments, failed when `error` is given */
  end(error?: Error): void;
}

/** Opens a publish subsegment in the trace of each message that carries a sampled one. */
export function startPublishSpans(messages: Array<{ topic: string; header: string | undefined; key?: string }>, now = Date.now): PublishSpans {
  const start = now() / 1000;
  const spans = messages.map((m) => {
    const h = parseTraceHeader(m.header);
    if (!h || !h.sampled || !h.parent) return undefined;
    return { id: newSegmentId(), h, topic: m.topic, key: m.key };
  });
  return {
    headers: spans.map((s, i) => (s ? formatTraceHeader({ root: s.h.root, parent: s.id, sampled: true }) : messages[i]!.header)),
    end(error) {
      const end = now() / 1000;
      sendDocuments(
        spans
          .filter((s) => s !== undefined)
          .map((s) => ({
            name: s.topic,
            id: s.id,
            trace_id: s.h.root,
            parent_id: s.h.parent,
            type: 'subsegment',
            namespace: 'remote',
            start_time: start,
            end_time: end,
            aws: { operation: 'Produce', topic: s.topic, ...(s.key ? { key: s.key } : {}) },
            ...(error ? { fault: true, cause: { exceptions: [{ message: error.message, type: error.name }] } } : {}),
          })),
      );
    },
  };
}

/** A link to the event's trace when it is not the trace of the invocation handling it. */
export function linkTo(eventTrace: string | undefined, current: string | undefined): { trace_id: string; id: string } | undefined {
  const e = parseTraceHeader(eventTrace);
  if (!e?.parent) return undefined;
  const c = parseTraceHeader(current);
  if (c && c.root === e.root) return undefined;
  return { trace_id: e.root, id: e.parent };
}
