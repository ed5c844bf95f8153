/** Test helpers: the local Step Functions on an ephemeral port with a temp data folder, and polling. */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SFNClient } from '@aws-sdk/client-sfn';
import { createStepFunctions, type StepFunctions, type StepFunctionsOptions } from '../../../../local/stepfunctions';
import { eventually as poll } from '../../../support/poll';

export interface RunningSfn {
  url: string;
  client: SFNClient;
  sfn: StepFunctions;
  dataDir: string;
  close(opts?: { keepData?: boolean }): Promise<void>;
}

export function tempDir(prefix = 'sfn-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startSfn(opts: Partial<StepFunctionsOptions> & { dataDir?: string } = {}): Promise<RunningSfn> {
  const dataDir = opts.dataDir ?? tempDir();
  const sfn = createStepFunctions({
    invokeLambda: async (fn) => {
      const e = new Error(`Function not found: ${fn}`);
      e.name = 'ResourceNotFoundException';
      throw e;
    },
    edgeUrl: () => 'http://127.0.0.1:9',
    ...opts,
    dataDir,
  });
  const server = http.createServer((req, res) => {
    void sfn.route(req, res).then((handled) => {
      if (!handled) {
        res.writeHead(400);
        res.end();
      }
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await sfn.resume();
  // disableHostPrefix: StartSyncExecution's endpoint has the host prefix "sync-", which a custom endpoint cannot resolve
  const client = new SFNClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, disableHostPrefix: true });
  return {
    url,
    client,
    sfn,
    dataDir,
    async close(o = {}) {
      client.destroy();
      sfn.close();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      if (!o.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `ms`. */
export function eventually<T>(check: () => Promise<T | undefined> | T | undefined, ms = 10_000, what = 'condition'): Promise<T> {
  return poll(what, check, { timeoutMs: ms, intervalMs: 10 });
}
