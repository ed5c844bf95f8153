/**
 * Shared setup of the EventBridge integration tests: the emulator on an ephemeral port with a temp
 * data folder, an @aws-sdk/client-eventbridge client pointed at it, and recorders standing in for
 * the services EventBridge calls (they keep what they receive, and fail on demand).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { startEventBridgeServer, type Clock, type EventBridgeServer, type SqsSendOptions } from '../../../../local/eventbridge';
import { eventually as poll } from '../../../support/poll';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

export interface Received {
  arn: string;
  body: string;
  options?: SqsSendOptions;
}

/** Records every call; `failNext(n, err)` makes the next n calls reject with `err`. */
export class Recorder {
  readonly calls: Received[] = [];
  private failures: Array<() => Error> = [];
  private always: (() => Error) | null = null;

  failNext(n: number, err: () => Error = () => new Error('target unavailable')): void {
    for (let i = 0; i < n; i++) this.failures.push(err);
  }

  failAlways(err: (() => Error) | null): void {
    this.always = err;
  }

  async record(arn: string, body: string, options?: SqsSendOptions): Promise<void> {
    const f = this.failures.shift() ?? this.always;
    this.calls.push({ arn, body, options });
    if (f) throw f();
  }

  bodies(arn?: string): unknown[] {
    return this.calls.filter((c) => arn === undefined || c.arn === arn).map((c) => JSON.parse(c.body) as unknown);
  }
}

export interface Harness {
  server: EventBridgeServer;
  client: EventBridgeClient;
  dataDir: string;
  lambda: Recorder;
  sfn: Recorder;
  sqs: Recorder;
  logs: string[];
}

export async function start(
  opts: { dataDir?: string; clock?: Clock; recorders?: Pick<Harness, 'lambda' | 'sfn' | 'sqs'> } = {},
): Promise<Harness> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'eb-it-'));
  const lambda = opts.recorders?.lambda ?? new Recorder();
  const sfn = opts.recorders?.sfn ?? new Recorder();
  const sqs = opts.recorders?.sqs ?? new Recorder();
  const logs: string[] = [];
  const server = await startEventBridgeServer({
    port: 0,
    dataDir,
    region: REGION,
    accountId: ACCOUNT,
    clock: opts.clock,
    log: (m) => logs.push(m),
    random: () => 1,
    invokeLambda: (arn, payload) => lambda.record(arn, payload),
    startExecution: (arn, input) => sfn.record(arn, input),
    sendSqs: (arn, body, o) => sqs.record(arn, body, o),
  });
  const client = new EventBridgeClient({
    endpoint: server.url,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  return { server, client, dataDir, lambda, sfn, sqs, logs };
}

export async function stop(h: Harness | undefined, removeData = true): Promise<void> {
  if (!h) return;
  h.client.destroy();
  await h.server.close();
  if (removeData) fs.rmSync(h.dataDir, { recursive: true, force: true });
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 5000, what = 'condition'): Promise<Exclude<T, false | undefined>> {
  return poll(what, async () => {
    const v = await check();
    return v === false ? undefined : (v as Exclude<T, false | undefined>);
  }, { timeoutMs, intervalMs: 10 });
}

export interface AwsFailure {
  name: string;
  message: string;
  status: number | undefined;
}

/** The error a client call fails with, as the SDK parsed it from the wire. */
export async function failure(p: Promise<unknown>): Promise<AwsFailure> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

export const lambdaArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
export const queueArn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
export const stateMachineArn = (name: string) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
export const busArnOf = (name: string) => `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${name}`;
