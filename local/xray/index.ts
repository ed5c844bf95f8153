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
import { createXRayRoute } from './api';
import { startDaemon, type XRayDaemon } from './daemon';
import { OtlpExporter } from './otlp/exporter';
import type { SegmentDocument } from './segments';
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
  now?: () => number;
  log?: (m: string) => void;
}

/** Where the local emulators send the segments they make (the structural type they depend on). */
export interface SegmentSink {
  put(doc: SegmentDocument): void;
}

export interface XRay extends SegmentSink {
  route: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean>;
  daemonAddress: string;
  daemon: XRayDaemon;
  store: TraceStore;
  exporter?: OtlpExporter;
  close(): Promise<void>;
}

export async function createXRay(opts: XRayOptions): Promise<XRay> {
  const now = opts.now ?? Date.now;
  const exporter = opts.otlpEndpoint ? new OtlpExporter({ endpoint: opts.otlpEndpoint, log: opts.log }) : undefined;
  const store = new TraceStore({
    dir: path.join(opts.dataDir, 'segments'),
    maxBytes: opts.maxBytes,
    accountId: opts.accountId,
    now,
    onDocument: exporter ? (d) => exporter.add(d) : undefined,
  });
  const daemon = await startDaemon({ store, port: opts.daemonPort ?? 2000, log: opts.log });
  return {
    route: createXRayRoute(store, { accountId: opts.accountId, now, log: opts.log }),
    daemonAddress: daemon.address,
    daemon,
    store,
    exporter,
    put: (doc) => store.put(doc),
    async close() {
      await daemon.close();
      store.close();
      await exporter?.close();
    },
  };
}

export { compileFilter } from './filter';
export { formatTraceHeader, newSegmentId, newTraceId, parseTraceHeader, epochSeconds, type SegmentDocument, type TraceHeader } from './segments';
