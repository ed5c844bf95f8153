/** Shared setup of the SES v2 integration tests: the emulator behind an edge on an ephemeral port, a temp data dir, the real SDK client. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { startEdge } from '../../../../local/edge';
import { createSesEmulator, type SesEmulator, type SesOptions } from '../../../../local/ses';

export interface Harness {
  ses: SesEmulator;
  client: SESv2Client;
  url: string;
  dataDir: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSes(o: Partial<SesOptions> = {}): Promise<Harness> {
  const dataDir = o.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ses-test-'));
  const make = () => createSesEmulator({ region: 'us-east-1', accountId: '000000000000', ...o, dataDir });
  let ses = make();
  const edge = await startEdge({ port: 0, services: [{ name: 'ses', route: (req, res) => ses.route(req, res) }] });
  const client = new SESv2Client({ endpoint: edge.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return {
    get ses() {
      return ses;
    },
    client,
    url: edge.url,
    dataDir,
    async restart() {
      await ses.close();
      ses = make();
    },
    async stop() {
      client.destroy();
      await edge.close();
      await ses.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function failure(p: Promise<unknown>): Promise<Error & { name: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { name: string };
  }
  throw new Error('expected the call to fail');
}

export interface InspectedEmail {
  Id: string;
  Region: string;
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  Source: string;
  Subject?: string;
  Body?: { text_part: string | null; html_part: string | null };
  RawData?: string;
  Template?: string;
  TemplateData?: string;
  Timestamp: string;
  [k: string]: unknown;
}

export async function inspect(url: string, query = ''): Promise<InspectedEmail[]> {
  const r = await fetch(`${url}/_aws/ses${query}`);
  expect(r.status).toBe(200);
  return ((await r.json()) as { messages: InspectedEmail[] }).messages;
}
