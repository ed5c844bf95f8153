// Lambda ListFunctions (GET /2015-03-31/functions/), with MaxItems / Marker paging.
import type { ServerResponse } from 'node:http';
import type { LambdaRuntime } from '../runtime';
import { configuration, sendJson } from './http';

export function listFunctions(runtime: LambdaRuntime, query: URLSearchParams, res: ServerResponse, reqId: string): void {
  const all = runtime.list().sort((a, b) => a.name.localeCompare(b.name));
  const max = Math.min(50, Math.max(1, Number(query.get('MaxItems') ?? 50) || 50));
  const marker = query.get('Marker');
  const start = marker ? Math.max(0, all.findIndex((f) => f.name === marker)) : 0;
  const page = all.slice(start, start + max);
  const next = all[start + max];
  sendJson(res, 200, { Functions: page.map(configuration), ...(next ? { NextMarker: next.name } : {}) }, reqId);
}
