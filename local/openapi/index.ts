/**
 * Serves the API's OpenAPI document on the edge: `GET /_local/openapi.json` answers the document
 * that the last synth wrote beside the cloud assembly (cdk.out/openapi.json, bin/app.ts), which
 * describes exactly the API that was deployed, with this local cloud's API address as its first
 * server. The file is read again only when it changed.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { OPENAPI_FILE } from '../../lib/openapi/write';
import type { EdgeRoute } from '../edge';

export const OPENAPI_PATH = '/_local/openapi.json';

export interface OpenApiRouteOptions {
  /** the cloud assembly the local cloud deployed (cdk.out) */
  assemblyDir: string;
  /** the local API Gateway's address once it listens (undefined before) */
  apiUrl: () => string | undefined;
}

export function createOpenApiRoute(opts: OpenApiRouteOptions): { route: EdgeRoute; file: string } {
  const file = path.join(opts.assemblyDir, OPENAPI_FILE);
  let cache: { mtimeMs: number; doc: { servers?: unknown[] } } | undefined;

  const load = () => {
    const { mtimeMs } = statSync(file);
    if (cache?.mtimeMs !== mtimeMs) cache = { mtimeMs, doc: JSON.parse(readFileSync(file, 'utf8')) as { servers?: unknown[] } };
    return cache.doc;
  };

  const route: EdgeRoute = async (req, res) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || new URL(req.url ?? '/', 'http://edge').pathname !== OPENAPI_PATH) return false;
    let doc: { servers?: unknown[] };
    try {
      doc = load();
    } catch (err) {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      res.writeHead(missing ? 404 : 500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: missing ? `no ${OPENAPI_FILE} in ${opts.assemblyDir}: synthesize the app (npm run synth)` : `cannot read ${file}: ${(err as Error).message}` }));
      return true;
    }
    const apiUrl = opts.apiUrl();
    const served = apiUrl ? { ...doc, servers: [{ url: apiUrl, description: 'this local cloud' }, ...(doc.servers ?? [])] } : doc;
    const body = JSON.stringify(served);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
  return { route, file };
}
