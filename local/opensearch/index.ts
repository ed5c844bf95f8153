// Local OpenSearch-compatible search engine: createOpenSearchServer starts an HTTP server speaking the OpenSearch
// REST API (as used by @opensearch-project/opensearch) over indices persisted in dataDir.
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Cluster } from './cluster';
import type { TextBackend } from './engine/index-engine';
import { createHttpServer } from './server/http-server';
import { buildRouter } from './server/routes';

export interface OpenSearchServerOptions {
  host?: string;
  port?: number;
  dataDir: string;
  log?: (m: string) => void;
  maxResultWindow?: number;
  /** Text scoring backend: 'native' (default) or 'minisearch' (kept for the benchmark comparison). */
  textBackend?: TextBackend;
}

export interface OpenSearchServer {
  host: string;
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function createOpenSearchServer(opts: OpenSearchServerOptions): Promise<OpenSearchServer> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? (() => undefined);
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const cluster = new Cluster({ dataDir: opts.dataDir, log, maxResultWindow: opts.maxResultWindow ?? 10000, textBackend: opts.textBackend ?? 'native' });
  cluster.load();
  const server = createHttpServer(cluster, buildRouter(), log);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 9200, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  log(`opensearch listening on http://${host}:${port} (data in ${opts.dataDir})`);
  let closed = false;
  return {
    host,
    port,
    url: `http://${host}:${port}`,
    close: async () => {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      cluster.close();
    },
  };
}

export { Cluster } from './cluster';
