/**
 * Local AWS X-Ray: the daemon's UDP endpoint, the trace store and the X-Ray API on the edge, and
 * the OTLP export. See README.md.
 *
 *   const xray = await createXRay({ dataDir, accountId, daemonPort: 2000, otlpEndpoint, log });
 *   functions:   AWS_XRAY_DAEMON_ADDRESS = xray.daemonAddress
 *   edge:        { name: 'xray', route: xray.route }
 *   emulators:   xray.put(segmentDocument)   // API Gateway, Lambda, Step Functions, pollers
 *   shutdown:    await xray.close()
 */
import type http from 'node:http';
import path from 'node:path';
import { bufferedBody } from '../aws-shared/body';
import { createXRayRoute, sendJson } from './api';
import { startDaemon, type XRayDaemon } from './daemon';
import { OtlpExporter, tracesUrl } from './otlp/exporter';
import type { SegmentDocument } from './segments';
import { Sampler, type SamplingSetting } from './sampling';
import { TraceStore } from './store';

export interface XRayOptions {
  dataDir: string;
  accountId: string;
  /** UDP port of the daemon endpoint (default 2000; a free one when taken; 0 = any) */
  daemonPort?: number;
  /** disk cap of the stored segments (default 32 MiB); the oldest traces go first */
  maxBytes?: number;
  /** export every trace as OTLP/HTTP JSON to this endpoint (OTEL_EXPORTER_OTLP_ENDPOINT) */
  otlpEndpoint?: string;
  /** which new traces are kept (./sampling.ts); default every one */
  sampling?: SamplingSetting;
  now?: () => number;
  log?: (m: string) => void;
}

/** Where the local emulators send the segments they make (the structural type they depend on). */
export interface SegmentSink {
  put(doc: SegmentDocument): void;
  /**
   * The sampling decision for a trace this emulator starts (a request or invocation that brought
   * none); absent: every one is kept.
   */
  sample?(): boolean;
}

export interface XRay extends SegmentSink {
  /** the X-Ray API, and `GET`/`PUT`/`DELETE /_local/xray/otlp` (the export's endpoint, switched while running) */
  route: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean>;
  daemonAddress: string;
  daemon: XRayDaemon;
  store: TraceStore;
  sampler: Sampler;
  sample(): boolean;
  readonly exporter: OtlpExporter | undefined;
  /** exports what arrives from now on to `endpoint` (none: stops exporting, after sending what is queued) */
  setOtlpEndpoint(endpoint: string | undefined): Promise<void>;
  close(): Promise<void>;
}

export async function createXRay(opts: XRayOptions): Promise<XRay> {
  const now = opts.now ?? Date.now;
  let exporter = opts.otlpEndpoint ? new OtlpExporter({ endpoint: opts.otlpEndpoint, log: opts.log }) : undefined;
  const store = new TraceStore({
    dir: path.join(opts.dataDir, 'segments'),
    maxBytes: opts.maxBytes,
    accountId: opts.accountId,
    now,
    onDocument: (d) => exporter?.add(d),
  });
  const daemon = await startDaemon({ store, port: opts.daemonPort ?? 2000, log: opts.log });
  const sampler = new Sampler(opts.sampling ?? 'all', now);
  const api = createXRayRoute(store, { accountId: opts.accountId, now, log: opts.log });
  const setOtlpEndpoint = async (endpoint: string | undefined) => {
    const old = exporter;
    exporter = endpoint ? new OtlpExporter({ endpoint, log: opts.log }) : undefined;
    await old?.close();
  };
  return {
    async route(req, res) {
      if ((req.url ?? '').split('?')[0] !== '/_local/xray/otlp') return api(req, res);
      if (req.method === 'PUT') {
        const body = JSON.parse((await bufferedBody(req)).toString('utf8') || '{}') as { endpoint?: unknown };
        if (typeof body.endpoint !== 'string' || !/^https?:\/\//.test(body.endpoint)) {
          sendJson(res, 400, { message: 'endpoint must be an http(s) URL' });
          return true;
        }
        await setOtlpEndpoint(body.endpoint);
      } else if (req.method === 'DELETE') await setOtlpEndpoint(undefined);
      else if (req.method !== 'GET') return false;
      sendJson(res, 200, { endpoint: exporter ? tracesUrl(exporter.endpoint) : null, ...(exporter ? { stats: exporter.stats } : {}) });
      return true;
    },
    daemonAddress: daemon.address,
    daemon,
    store,
    get exporter() {
      return exporter;
    },
    setOtlpEndpoint,
    put: (doc) => store.put(doc),
    sampler,
    sample: () => sampler.sample(),
    async close() {
      await daemon.close();
      store.close();
      await exporter?.close();
    },
  };
}

export { compileFilter } from './filter';
export { AWS_DEFAULT_RULE, Sampler, describeSampling, parseSampling, type SamplingRule, type SamplingSetting } from './sampling';
export { formatTraceHeader, newSegmentId, newTraceId, parseTraceHeader, epochSeconds, type SegmentDocument, type TraceHeader } from './segments';
