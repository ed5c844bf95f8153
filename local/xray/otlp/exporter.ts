/**
 * Sends the traces to an OTLP/HTTP endpoint (Jaeger, an OpenTelemetry collector) as they arrive:
 * each completed segment document becomes spans (./mapping.ts), batched for up to `flushMs` or
 * `maxBatch` spans, POSTed as OTLP/HTTP JSON to `<endpoint>/v1/traces` (the
 * OTEL_EXPORTER_OTLP_ENDPOINT convention; a URL already ending in `/v1/traces` is used as it is).
 * A failed POST is retried with backoff; the queue is bounded (the oldest spans are dropped), so a
 * missing Jaeger never grows memory.
 *
 * Why our own few lines rather than `@opentelemetry/exporter-trace-otlp-http` and
 * `@opentelemetry/otlp-transformer`: those take the SDK's ReadableSpan objects (a Resource,
 * instrumentation scope, hrtime tuples, span contexts), which would have to be built from each
 * X-Ray document only to be taken apart again into the same JSON; the OTLP/HTTP JSON encoding
 * itself is the small, stable part (./mapping.ts), and the POST with retry is a dozen lines.
 */
import http from 'node:http';
import https from 'node:https';
import type { SegmentDocument } from '../segments';
import { toResourceSpans, type ResourceSpans } from './mapping';

export interface OtlpExporterOptions {
  endpoint: string;
  /** default 1000 ms */
  flushMs?: number;
  /** spans per request (default 512) */
  maxBatch?: number;
  /** spans kept waiting at most (default 20,000) */
  maxQueue?: number;
  headers?: Record<string, string>;
  log?: (m: string) => void;
}

export function tracesUrl(endpoint: string): string {
  const trimmed = endpoint.replace(/\/+$/, '');
  return trimmed.endsWith('/v1/traces') ? trimmed : `${trimmed}/v1/traces`;
}

export class OtlpExporter {
  private queue: ResourceSpans[] = [];
  private queuedSpans = 0;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  private readonly url: URL;
  readonly stats = { exported: 0, dropped: 0, failedRequests: 0 };

  constructor(private readonly opts: OtlpExporterOptions) {
    this.url = new URL(tracesUrl(opts.endpoint));
  }

  get endpoint(): string {
    return this.opts.endpoint;
  }

  /** Queues a completed document (in-progress ones wait for their completion). */
  add(doc: SegmentDocument): void {
    if (doc.in_progress || !doc.trace_id) return;
    const rs = toResourceSpans(doc);
    const n = rs.scopeSpans[0]!.spans.length;
    this.queue.push(rs);
    this.queuedSpans += n;
    const max = this.opts.maxQueue ?? 20_000;
    while (this.queuedSpans > max && this.queue.length > 1) {
      const dropped = this.queue.shift()!;
      const d = dropped.scopeSpans[0]!.spans.length;
      this.queuedSpans -= d;
      this.stats.dropped += d;
    }
    if (this.queuedSpans >= (this.opts.maxBatch ?? 512)) this.kick(0);
    else this.kick(this.opts.flushMs ?? 1000);
  }

  /** Sends everything queued and waits for it. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.sending = this.sending.then(() => this.sendAll());
    await this.sending;
  }

  async close(): Promise<void> {
    await this.flush();
  }

  private kick(ms: number): void {
    if (this.timer && ms > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sending = this.sending.then(() => this.sendAll());
    }, ms);
    this.timer.unref();
  }

  private async sendAll(): Promise<void> {
    const maxBatch = this.opts.maxBatch ?? 512;
    while (this.queue.length) {
      const batch: ResourceSpans[] = [];
      let spans = 0;
      while (this.queue.length && (spans === 0 || spans + this.queue[0]!.scopeSpans[0]!.spans.length <= maxBatch)) {
        const rs = this.queue.shift()!;
        spans += rs.scopeSpans[0]!.spans.length;
        batch.push(rs);
      }
      this.queuedSpans -= spans;
      if (await this.post(batch)) this.stats.exported += spans;
      else this.stats.dropped += spans;
    }
  }

  private async post(batch: ResourceSpans[]): Promise<boolean> {
    const body = JSON.stringify({ resourceSpans: batch });
    for (let attempt = 0; attempt < 3; attempt++) {
      const status = await this.request(body).catch((err: Error) => {
        this.opts.log?.(`otlp export to ${this.url.href}: ${err.message}`);
        return 0;
      });
      if (status >= 200 && status < 300) return true;
      this.stats.failedRequests++;
      if (status >= 400 && status < 500 && status !== 429) return false; // the receiver refuses it: retrying will not help
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt).unref());
    }
    return false;
  }

  private request(body: string): Promise<number> {
    const client = this.url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.request(
        this.url,
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...this.opts.headers }, timeout: 10_000 },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
      req.end(body);
    });
  }
}
