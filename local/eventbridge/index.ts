/**
 * Local Amazon EventBridge: the EventBridge API (AWS JSON 1.1) as an edge route, event buses,
 * rules with the complete event pattern language, schedules, targets (Lambda, Step Functions,
 * SQS, other buses) with input transformation, retries and dead-letter queues, archives and
 * replays; state persisted under `dataDir`. See README.md.
 *
 *   const eb = await createEventBridge({ dataDir, region, accountId, invokeLambda, startExecution, sendSqs, log });
 *   startEdge({ services: [{ name: 'events', targets: ['AWSEvents.'], route: eb.route }, …] });
 *   eb.deployRule({ Name, EventPattern, Targets });   // per AWS::Events::Rule of the template
 *   await eb.close();
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from './clock';
import * as deploy from './deploy';
import type { DeliveryStats, TargetInvokers } from './delivery';
import { putEventEntries, type PutEventsEntry, type PutEventsResult } from './operations/events';
import { matchesEvent } from './pattern';
import { createRoute, TARGET_PREFIX, type EdgeRoute } from './protocol';
import { resolveOperation } from './registry';
import { compilePatternOrThrow, EventBridgeService } from './service';
import { guardLoopback } from '../http/loopback-guard';

export { ManualClock, systemClock, type Clock } from './clock';
export { TargetDeliveryError, type DeliveryStats, type SqsSendOptions, type TargetInvokers } from './delivery';
export { EventBridgeError } from './errors';
export type { ArchiveProperties, EventBusProperties, RuleProperties } from './deploy';
export type { PutEventsEntry, PutEventsResult } from './operations/events';
export type { EdgeRoute } from './protocol';
export { OPERATIONS, NOT_EMULATED } from './registry';

export interface EventBridgeOptions extends TargetInvokers {
  /** folder for state.json and the archives (created when missing) */
  dataDir: string;
  region: string;
  accountId: string;
  /** time for schedules, retries and archive retention; the wall clock by default */
  clock?: Clock;
  log?: (message: string) => void;
  /** jitter source of the retry backoff (0..1); Math.random by default */
  random?: () => number;
  /** first retry delay (doubling, then capped); 1 s and 5 min by default */
  retryBaseMs?: number;
  retryMaxDelayMs?: number;
}

export interface EventBridge {
  /** answers `X-Amz-Target: AWSEvents.*` requests; resolves false for any other request */
  route: EdgeRoute;
  /** the X-Amz-Target prefix the route answers, for the edge's service list */
  readonly targetPrefix: string;
  deployBus(props: deploy.EventBusProperties): { Ref: string; Arn: string; Name: string };
  deployRule(props: deploy.RuleProperties): { Ref: string; Arn: string };
  deployArchive(props: deploy.ArchiveProperties): Promise<{ Ref: string; Arn: string }>;
  removeRule(name: string, busName?: string): void;
  removeBus(name: string): void;
  removeArchive(name: string): Promise<void>;
  /** PutEvents in process (for other emulators); same validation and result as the API */
  putEvents(entries: PutEventsEntry[]): Promise<PutEventsResult>;
  /** TestEventPattern in process; throws EventBridgeError for an invalid pattern */
  testEventPattern(pattern: string | object, event: unknown): boolean;
  /** counts of deliveries, retries, dead-lettered and dropped events since start */
  stats(): DeliveryStats;
  /** rule ARN → epoch ms of its next scheduled event */
  nextScheduledTimes(): Record<string, number>;
  /** resolves when no delivery attempt is in flight (retries waiting on the clock excluded) */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function createEventBridge(opts: EventBridgeOptions): Promise<EventBridge> {
  const log = opts.log ?? (() => undefined);
  const svc = new EventBridgeService({
    dataDir: opts.dataDir,
    region: opts.region,
    accountId: opts.accountId,
    clock: opts.clock ?? systemClock(),
    log,
    invokers: { invokeLambda: opts.invokeLambda, startExecution: opts.startExecution, sendSqs: opts.sendSqs },
    random: opts.random,
    retryBaseMs: opts.retryBaseMs,
    retryMaxDelayMs: opts.retryMaxDelayMs,
  });
  await svc.start();
  return {
    route: createRoute((op) => resolveOperation(svc, op), log),
    targetPrefix: TARGET_PREFIX,
    deployBus: (p) => deploy.deployBus(svc, p),
    deployRule: (p) => deploy.deployRule(svc, p),
    deployArchive: (p) => deploy.deployArchive(svc, p),
    removeRule: (n, b) => deploy.removeRule(svc, n, b),
    removeBus: (n) => deploy.removeBus(svc, n),
    removeArchive: (n) => deploy.removeArchive(svc, n),
    putEvents: (entries) => putEventEntries(svc, entries),
    testEventPattern: (pattern, event) => matchesEvent(compilePatternOrThrow(typeof pattern === 'string' ? pattern : JSON.stringify(pattern)), event),
    stats: () => ({ ...svc.deliverer.stats }),
    nextScheduledTimes: () => svc.scheduler.nextTimes(),
    idle: () => svc.deliverer.idle(),
    close: () => svc.close(),
  };
}

export interface EventBridgeServer {
  eventBridge: EventBridge;
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The emulator alone on its own HTTP port (tests, `local/eventbridge/serve.ts`). */
export async function startEventBridgeServer(opts: EventBridgeOptions & { port?: number; host?: string }): Promise<EventBridgeServer> {
  const eventBridge = await createEventBridge(opts);
  const log = opts.log ?? (() => undefined);
  const server = http.createServer(guardLoopback((req, res) => {
    eventBridge.route(req, res).then(
      (handled) => {
        if (handled) return;
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ __type: 'UnknownOperationException', message: 'not an EventBridge request' }));
      },
      (err: Error) => {
        log(`eventbridge: ${err.message}`);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      },
    );
  }, { name: 'eventbridge', log }));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    eventBridge,
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await eventBridge.close();
    },
  };
}
