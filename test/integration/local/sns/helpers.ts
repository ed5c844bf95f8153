/**
 * Shared setup of the SNS integration tests: the local SNS and the local SQS on one edge (SNS
 * delivers into SQS in process, as the local cloud wires them), a recorder in place of the
 * Lambda runtime, real SDK clients on an ephemeral port, a temp data dir.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startEdge } from '../../../../local/edge';
import { createSnsEmulator, type SnsEmulator } from '../../../../local/sns';
import { createSqsEmulator, type SqsEmulator } from '../../../../local/sqs';
import { eventually } from '../../../support/poll';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';

export interface Invocation {
  functionArn: string;
  event: { Records: Array<{ EventSource: string; EventSubscriptionArn: string; Sns: Record<string, unknown> }> };
}

export interface Harness {
  sns: SnsEmulator;
  sqs: SqsEmulator;
  client: SNSClient;
  sqsClient: SQSClient;
  url: string;
  dataDir: string;
  invocations: Invocation[];
  /** the next invocations of this function fail (to exercise retries and dead-letter queues) */
  failing: Set<string>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSns(o: { clock?: () => number } = {}): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sns-test-'));
  let url = '';
  const invocations: Invocation[] = [];
  const failing = new Set<string>();
  const makeSqs = () => createSqsEmulator({ dataDir: path.join(dataDir, 'sqs'), region: REGION, accountId: ACCOUNT, edgeUrl: () => url, clock: o.clock });
  let sqs = makeSqs();
  const makeSns = () =>
    createSnsEmulator({
      dataDir: path.join(dataDir, 'sns'),
      region: REGION,
      accountId: ACCOUNT,
      edgeUrl: () => url,
      clock: o.clock,
      sqsSend: (arn, body, opts) => sqs.sendMessage(arn, body, opts),
      invokeLambda: async (functionArn, event) => {
        if (failing.has(functionArn)) throw new Error(`${functionArn} failed`);
        invocations.push({ functionArn, event: event as Invocation['event'] });
        return {};
      },
    });
  let sns = makeSns();
  const edge = await startEdge({
    port: 0,
    services: [
      { name: 'sqs', route: (req, res) => sqs.route(req, res) },
      { name: 'sns', route: (req, res) => sns.route(req, res) },
    ],
  });
  url = edge.url;
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const client = new SNSClient({ endpoint: url, region: REGION, credentials });
  const sqsClient = new SQSClient({ endpoint: url, region: REGION, credentials });
  return {
    get sns() {
      return sns;
    },
    get sqs() {
      return sqs;
    },
    client,
    sqsClient,
    url,
    dataDir,
    invocations,
    failing,
    async restart() {
      await sns.close();
      await sqs.close();
      sqs = makeSqs();
      sns = makeSns();
    },
    async stop() {
      client.destroy();
      sqsClient.destroy();
      await sns.idle();
      await edge.close();
      await sns.close();
      await sqs.close();
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

export function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  return eventually(what, async () => (await check()) || undefined, { timeoutMs, intervalMs: 20 });
}

export async function getJson<T = Record<string, unknown>>(url: string): Promise<{ status: number; body: T }> {
  const r = await fetch(url);
  return { status: r.status, body: (await r.json()) as T };
}
