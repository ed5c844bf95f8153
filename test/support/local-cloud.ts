/** What tests need to call the local cloud that the global setup started. */
import { readFileSync } from 'node:fs';
import type { Endpoints } from '../../local/cloud';

let cached: Endpoints | undefined;

export function endpoints(): Endpoints {
  if (!cached) {
    const file = process.env.LOCAL_CLOUD_ENDPOINTS;
    if (!file) throw new Error('LOCAL_CLOUD_ENDPOINTS is not set: run through the integration or e2e Jest project');
    cached = JSON.parse(readFileSync(file, 'utf8')) as Endpoints;
  }
  return cached;
}

export type Plan = 'standard' | 'partner' | 'internal';

export interface CallOptions {
  method?: string;
  /** a plan's key, a literal key, or null for none */
  key?: Plan | { value: string } | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface CallResult<T = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  status: number;
  headers: Headers;
  body: T;
}

export async function call<T = any>(path: string, options: CallOptions = {}): Promise<CallResult<T>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const e = endpoints();
  const headers: Record<string, string> = { ...options.headers };
  const key = options.key === undefined ? 'internal' : options.key;
  if (key !== null) headers['x-api-key'] = typeof key === 'string' ? e.api_keys[key]! : key.value;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${e.api_url}${path}`, { method: options.method ?? (body ? 'POST' : 'GET'), headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // leave as text
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

export const awsClientConfig = () => ({
  endpoint: endpoints().edge_url,
  region: endpoints().region,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

/** A product id no other test uses. */
export const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
