// Shared setup for the OpenSearch integration tests: a real server on an ephemeral port with a temp data dir,
// and a helper that captures the ResponseError the client throws.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@opensearch-project/opensearch';
import { createOpenSearchServer, OpenSearchServer } from '../../../../local/opensearch';

/** Response bodies are checked field by field in the tests, so they are left untyped here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;
type Call = (params?: Record<string, unknown>, options?: Record<string, unknown>) => Promise<{ statusCode: number; body: Body }>;

/** The client's API surface the tests use, with loose request/response types (the tests send bad input on purpose). */
export interface TestClient {
  info: Call;
  index: Call;
  create: Call;
  get: Call;
  exists: Call;
  update: Call;
  delete: Call;
  bulk: Call;
  mget: Call;
  count: Call;
  search: Call;
  indices: { create: Call; delete: Call; exists: Call; getMapping: Call; putMapping: Call; getSettings: Call; refresh: Call };
  cluster: { health: Call };
  transport: { request: Call };
  close(): Promise<void>;
}

export interface Harness {
  server: OpenSearchServer;
  client: TestClient;
  dataDir: string;
}

export async function startServer(dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'os-it-')), maxResultWindow?: number, textBackend?: 'native' | 'minisearch'): Promise<Harness> {
  const server = await createOpenSearchServer({ port: 0, dataDir, maxResultWindow, textBackend });
  const client = new Client({ node: server.url }) as unknown as TestClient;
  return { server, client, dataDir };
}

/** Closes client and server; `removeData` also deletes the temp data directory (end of a test file). */
export async function stopServer(h: Harness | undefined, removeData = false): Promise<void> {
  if (!h) return;
  await h.client.close();
  await h.server.close();
  if (removeData) fs.rmSync(h.dataDir, { recursive: true, force: true });
}

export interface CapturedError {
  statusCode: number;
  body: { error: { type: string; reason: string; root_cause: { type: string; reason: string }[]; [k: string]: unknown }; status: number } & Record<string, unknown>;
}

/** Runs a client call expected to fail and returns the status and body of OpenSearch's error response. */
export async function failure(p: Promise<unknown>): Promise<CapturedError> {
  try {
    await p;
  } catch (e) {
    const meta = (e as { meta?: { statusCode: number; body: CapturedError['body'] } }).meta;
    if (!meta) throw e;
    return { statusCode: meta.statusCode, body: meta.body };
  }
  throw new Error('expected the request to fail');
}
