/**
 * Local Amazon CloudWatch (metrics): the metric store fed by EMF log lines and PutMetricData, the
 * CloudWatch API on the edge (JSON 1.0 and RPC v2 CBOR), alarms evaluated from the template's,
 * dashboards, Kafka consumer lag, and the Prometheus text endpoint. See README.md.
 *
 *   const cw = createCloudWatch({ dataDir, region, accountId, notify: (topic, subject, msg) => sns.publish(…), log });
 *   edge:          { name: 'cloudwatch', targets: ['GraniteServiceVersion20100801.'], route: cw.route }
 *                  (the route also answers RPC v2 CBOR paths and GET /_local/metrics, the Prometheus text)
 *   Lambda:        onLog: (fn, line) => cw.ingestLogLine(line)   // EMF extraction
 *   deploy time:   cw.deployAlarm(properties), cw.deployDashboard(name, body)   (deployer/resources/cloudwatch.ts)
 *   after deploy:  cw.watchKafka({ bootstrap, clusterName }); cw.start()
 *   shutdown:      await cw.close()
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { Alarms } from './alarms';
import { apiGatewayMetrics, lambdaMetrics, sqsSampler, statesMetrics } from './aws-metrics';
import { extractEmf, type EmfStats } from './emf';
import { dashboardNotFound, invalidParameter, missingParameter } from './errors';
import { KafkaLag } from './kafka-lag';
import { getMetricData, getMetricStatistics, listMetrics, putMetricData } from './metrics';
import { renderPrometheus, type PrometheusKind } from './prometheus';
import { createCloudWatchRoute, TARGET_PREFIX, type Operation } from './protocol';
import { MetricStore } from './store';

export interface CloudWatchOptions {
  dataDir: string;
  region: string;
  accountId: string;
  /** publishes an alarm's state change to an SNS topic */
  notify?: (topicArn: string, subject: string, message: string) => void | Promise<void>;
  now?: () => number;
  /** samples kept (default 3 hours) */
  retentionMs?: number;
  /** disk cap of the sample log (default 32 MiB) */
  maxBytes?: number;
  evaluateEveryMs?: number;
  /** Prometheus kinds by metric name, where the unit does not tell (a Count that is a level) */
  prometheusKinds?: Record<string, PrometheusKind>;
  /** Prometheus name prefix by namespace (default: the namespace in snake case; '' for none) */
  prometheusPrefixes?: Record<string, string>;
  log?: (m: string) => void;
}

export interface CloudWatch {
  route: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean>;
  targetPrefix: string;
  store: MetricStore;
  alarms: Alarms;
  emf: EmfStats;
  /** takes the EMF metrics of a function's log line (a no-op for other lines) */
  ingestLogLine(line: string): void;
  deployAlarm(properties: Record<string, unknown>): { AlarmName: string; Arn: string };
  deployDashboard(name: string, body: string): { DashboardName: string; DashboardArn: string };
  /** reads the consumer lag of the broker's groups from now on */
  watchKafka(o: { bootstrap: string; clusterName: string; everyMs?: number }): KafkaLag;
  prometheus(): string;
  /** what AWS services publish by themselves, fed by the local emulators' hooks (./aws-metrics.ts) */
  aws: {
    lambda: ReturnType<typeof lambdaMetrics>;
    apiGateway: ReturnType<typeof apiGatewayMetrics>;
    states: ReturnType<typeof statesMetrics>;
    /** samples the queues' depths every `everyMs` (default 60 s) */
    watchQueues(queues: () => Array<{ name: string; attributes: () => Record<string, string> }>, everyMs?: number): { sample(): void };
  };
  /** starts alarm evaluation */
  start(): void;
  close(): Promise<void>;
}

export function createCloudWatch(opts: CloudWatchOptions): CloudWatch {
  mkdirSync(opts.dataDir, { recursive: true });
  const log = opts.log ?? (() => undefined);
  const store = new MetricStore({ dir: path.join(opts.dataDir, 'samples'), maxBytes: opts.maxBytes, retentionMs: opts.retentionMs, now: opts.now });
  const alarms = new Alarms({ store, region: opts.region, accountId: opts.accountId, file: path.join(opts.dataDir, 'alarms.json'), notify: opts.notify, evaluateEveryMs: opts.evaluateEveryMs, log });
  const dashboardsFile = path.join(opts.dataDir, 'dashboards.json');
  const dashboards = new Map<string, { body: string; modified: number }>(existsSync(dashboardsFile) ? (JSON.parse(readFileSync(dashboardsFile, 'utf8')) as Array<[string, { body: string; modified: number }]>) : []);
  const saveDashboards = () => {
    writeFileSync(`${dashboardsFile}.tmp`, JSON.stringify([...dashboards]));
    renameSync(`${dashboardsFile}.tmp`, dashboardsFile);
  };
  const dashboardArn = (name: string) => `arn:aws:cloudwatch::${opts.accountId}:dashboard/${name}`;
  /** stores a dashboard; returns PutDashboard's validation message when its body is not JSON */
  const putDashboard = (name: unknown, body: unknown): string | undefined => {
    if (typeof name !== 'string' || !name) throw missingParameter('DashboardName');
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) throw invalidParameter('The value for field DashboardName contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_).');
    if (typeof body !== 'string') throw missingParameter('DashboardBody');
    let parsed: { widgets?: unknown };
    try {
      parsed = JSON.parse(body) as { widgets?: unknown };
    } catch {
      return 'Should be valid JSON';
    }
    if (!Array.isArray(parsed?.widgets)) throw invalidParameter('The field DashboardBody must have a widgets list.');
    dashboards.set(name, { body, modified: store.now() });
    saveDashboards();
    return undefined;
  };
  const emf: EmfStats = { lines: 0, datapoints: 0, rejected: 0 };
  const lags: KafkaLag[] = [];
  const samplers: Array<{ stop(): void }> = [];

  const operations: Record<string, Operation> = {
    PutMetricData: (i) => putMetricData(store, i),
    ListMetrics: (i) => listMetrics(store, i),
    GetMetricData: (i) => getMetricData(store, i),
    GetMetricStatistics: (i) => getMetricStatistics(store, i),
    DescribeAlarms: (i) => alarms.describe(i),
    DescribeAlarmsForMetric: (i) => {
      const all = alarms.describe({}).MetricAlarms as Array<Record<string, unknown>>;
      return { MetricAlarms: all.filter((a) => a.MetricName === i.MetricName && a.Namespace === i.Namespace) };
    },
    DescribeAlarmHistory: (i) => alarms.historyOf(i),
    PutMetricAlarm: (i) => {
      alarms.put(i);
      return {};
    },
    DeleteAlarms: (i) => {
      alarms.delete((i.AlarmNames as string[] | undefined) ?? []);
      return {};
    },
    SetAlarmState: (i) => {
      if (!['OK', 'ALARM', 'INSUFFICIENT_DATA'].includes(String(i.StateValue))) throw invalidParameter('StateValue must be OK, ALARM or INSUFFICIENT_DATA.');
      alarms.setState(String(i.AlarmName), i.StateValue as 'OK', String(i.StateReason ?? ''), i.StateReasonData as string | undefined);
      return {};
    },
    PutDashboard: (i) => {
      const problem = putDashboard(i.DashboardName, i.DashboardBody);
      return { DashboardValidationMessages: problem ? [{ DataPath: '/', Message: problem }] : [] };
    },
    GetDashboard: (i) => {
      const d = dashboards.get(String(i.DashboardName));
      if (!d) throw dashboardNotFound(`Dashboard ${String(i.DashboardName)} does not exist`);
      return { DashboardArn: dashboardArn(String(i.DashboardName)), DashboardBody: d.body, DashboardName: i.DashboardName };
    },
    ListDashboards: (i) => ({
      DashboardEntries: [...dashboards]
        .filter(([n]) => !i.DashboardNamePrefix || n.startsWith(String(i.DashboardNamePrefix)))
        .map(([n, d]) => ({ DashboardName: n, DashboardArn: dashboardArn(n), LastModified: new Date(d.modified), Size: Buffer.byteLength(d.body) })),
    }),
    DeleteDashboards: (i) => {
      for (const n of (i.DashboardNames as string[] | undefined) ?? []) if (!dashboards.delete(n)) throw dashboardNotFound(`The specified dashboard does not exist. [${n}]`);
      saveDashboards();
      return {};
    },
  };
  const api = createCloudWatchRoute(operations, log);
  const prometheus = () => renderPrometheus(store, { kinds: opts.prometheusKinds, prefixes: opts.prometheusPrefixes, lag: lags.length ? lags.flatMap((l) => l.rows) : undefined });

  return {
    targetPrefix: TARGET_PREFIX,
    store,
    alarms,
    emf,
    async route(req, res) {
      if (req.method === 'GET' && (req.url === '/_local/metrics' || req.url?.startsWith('/_local/metrics?'))) {
        const text = prometheus();
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(text) });
        res.end(text);
        return true;
      }
      return api(req, res);
    },
    ingestLogLine: (line) => void extractEmf(line, store, emf),
    deployAlarm(properties) {
      const r = alarms.put(properties);
      return { AlarmName: r.def.AlarmName, Arn: r.arn };
    },
    deployDashboard(name, body) {
      const problem = putDashboard(name, body);
      if (problem) throw new Error(`dashboard ${name}: ${problem}`);
      return { DashboardName: name, DashboardArn: dashboardArn(name) };
    },
    watchKafka(o) {
      const lag = new KafkaLag({ bootstrap: o.bootstrap, clusterName: o.clusterName, store, everyMs: o.everyMs, log });
      lags.push(lag);
      lag.start();
      return lag;
    },
    prometheus,
    aws: {
      lambda: lambdaMetrics(store),
      apiGateway: apiGatewayMetrics(store),
      states: statesMetrics(store),
      watchQueues(queues, everyMs) {
        const s = sqsSampler(store, queues, everyMs, log);
        samplers.push(s);
        return s;
      },
    },
    start: () => alarms.start(),
    async close() {
      alarms.stop();
      for (const s of samplers) s.stop();
      await Promise.all(lags.map((l) => l.stop()));
      store.close();
    },
  };
}

export type { MetricStore } from './store';
export type { PrometheusKind } from './prometheus';
