/** Shared setup of the SQS integration tests: the emulator behind an edge on an ephemeral port, a temp data dir, real SDK clients. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startEdge } from '../../../../local/edge';
import { createSqsEmulator, type SqsEmulator } from '../../../../local/sqs';
import { eventually } from '../../../support/poll';

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(public t = Date.UTC(2026, 10, 20, 12, 0, 0)) {}
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface Harness {
  sqs: SqsEmulator;
  client: SQSClient;
  url: string;
  dataDir: string;
  logs: string[];
  restart(): Promise<void>;
  stop(keepData?: boolean): Promise<void>;
}

export async function startSqs(o: { dataDir?: string; clock?: () => number } = {}): Promise<Harness> {
  const dataDir = o.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sqs-test-'));
  const logs: string[] = [];
  let edgeUrl = '';
  const make = () => createSqsEmulator({ dataDir, region: REGION, accountId: ACCOUNT, edgeUrl: () => edgeUrl, clock: o.clock, log: (m) => logs.push(m) });
  let sqs = make();
  const edge = await startEdge({ port: 0, services: [{ name: 'sqs', route: (req, res) => sqs.route(req, res) }] });
  edgeUrl = edge.url;
  const client = new SQSClient({ endpoint: edge.url, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const h: Harness = {
    get sqs() {
      return sqs;
    },
    client,
    get url() {
      return edgeUrl;
    },
    dataDir,
    logs,
    async restart() {
      await sqs.close();
      sqs = make();
    },
    async stop(keepData = false) {
      client.destroy();
      await edge.close();
      await sqs.close();
      if (!keepData) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  } as Harness;
  return h;
}

export function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  return eventually(what, async () => (await check()) || undefined, { timeoutMs, intervalMs: 20 });
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function failure(p: Promise<unknown>): Promise<Error & { name: string; $metadata?: { httpStatusCode?: number }; Code?: string }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { name: string };
  }
  throw new Error('expected the call to fail');
}

/** A raw JSON-protocol call, to look at the wire (headers and body) rather than the SDK's view. */
export async function rawJson(url: string, op: string, body: unknown): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const r = await fetch(`${url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${op}` },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, headers: r.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
