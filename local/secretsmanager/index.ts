/**
 * The local AWS Secrets Manager: the Secrets Manager API (AWS JSON 1.1) as an edge route, secrets
 * with versions and staging labels, scheduled deletion with a recovery window, random passwords,
 * and the deploy-time call for AWS::SecretsManager::Secret; state persisted under `dataDir`.
 * See README.md.
 *
 *   const sm = createSecretsManager({ dataDir, region, accountId, log });
 *   startEdge({ services: [{ name: 'secretsmanager', targets: [sm.targetPrefix], route: sm.route }, …] });
 *   sm.deploySecret(properties, { name, arn });   // per AWS::SecretsManager::Secret of the template
 *   await sm.close();
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EdgeRoute } from '../edge';
import { deploySecret, type SecretProperties } from './deploy';
import { createRoute, TARGET_PREFIX } from './protocol';
import { resolveOperation } from './registry';
import { SecretsService } from './service';
import { SecretStore } from './store';
import { guardLoopback } from '../http/loopback-guard';

export { SecretsManagerError } from './errors';
export { NOT_EMULATED, OPERATIONS } from './registry';
export type { SecretProperties } from './deploy';

export interface SecretsManagerOptions {
  /** folder for secrets.json (created when missing) */
  dataDir: string;
  region: string;
  accountId: string;
  /** epoch ms; the wall clock by default (tests move it to end recovery windows) */
  clock?: () => number;
  log?: (message: string) => void;
}

export interface SecretsManagerEmulator {
  /** answers `X-Amz-Target: secretsmanager.*` requests; resolves false for any other request */
  route: EdgeRoute;
  /** the X-Amz-Target prefix the route answers, for the edge's service list */
  readonly targetPrefix: string;
  /** AWS::SecretsManager::Secret: Ref and Id are the secret's ARN, as CloudFormation answers */
  deploySecret(props: SecretProperties, o: { name: string; arn?: string }): { Ref: string; Id: string; Name: string };
  /** the current value of a secret by name or ARN, in process (undefined when there is none) */
  currentValue(secretId: string): string | undefined;
  close(): Promise<void>;
}

export function createSecretsManager(opts: SecretsManagerOptions): SecretsManagerEmulator {
  const log = opts.log ?? (() => undefined);
  const svc = new SecretsService({
    store: new SecretStore(opts.dataDir, log),
    region: opts.region,
    accountId: opts.accountId,
    now: opts.clock ?? Date.now,
    log,
  });
  return {
    route: createRoute((op) => resolveOperation(svc, op), log),
    targetPrefix: TARGET_PREFIX,
    deploySecret: (props, o) => deploySecret(svc, props, o),
    currentValue: (id) => {
      const s = svc.lookup(id);
      return s?.deletedAt === undefined ? s?.versions.find((v) => v.stages.includes('AWSCURRENT'))?.string : undefined;
    },
    close: async () => undefined, // every change is on disk when its call returns
  };
}

export interface SecretsManagerServer {
  secretsManager: SecretsManagerEmulator;
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The emulator alone on its own HTTP port (tests, `local/secretsmanager/serve.ts`). */
export async function startSecretsManagerServer(opts: SecretsManagerOptions & { port?: number; host?: string }): Promise<SecretsManagerServer> {
  const secretsManager = createSecretsManager(opts);
  const server = http.createServer(guardLoopback((req, res) => {
    secretsManager.route(req, res).then(
      (handled) => {
        if (handled) return;
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'UnknownOperationException' });
        res.end(JSON.stringify({ __type: 'UnknownOperationException', Message: 'not a Secrets Manager request' }));
      },
      () => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      },
    );
  }, { name: 'secretsmanager', log: opts.log }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    secretsManager,
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await secretsManager.close();
    },
  };
}
