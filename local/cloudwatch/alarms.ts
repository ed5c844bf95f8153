/**
 * Metric alarms: the template's `AWS::CloudWatch::Alarm` resources (and PutMetricAlarm), evaluated
 * against the metric store as CloudWatch does, and their state changes sent to their actions (SNS
 * topics).
 *
 * Evaluation, every `evaluateEveryMs` (default 10 s) and at every DescribeAlarms: the last
 * `EvaluationPeriods` periods up to now (the newest one still filling, so an alarm reacts within a
 * period), each period's value from the alarm's statistic or metric math; ALARM when at least
 * `DatapointsToAlarm` (default: all) of them breach the threshold; when none has data,
 * `TreatMissingData` decides (missing: INSUFFICIENT_DATA; notBreaching: OK; breaching: ALARM;
 * ignore: the state stays); otherwise OK. A change of state is recorded (StateReason, StateReasonData,
 * StateUpdatedTimestamp, the alarm history) and, with ActionsEnabled, published to each action's topic
 * in the shape CloudWatch's notifications have. Definitions and states persist in `alarms.json`.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { invalidParameter, missingParameter, resourceNotFound } from './errors';
import { checkPeriod, runQueries } from './metrics';
import type { MetricStore } from './store';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmDefinition {
  AlarmName: string;
  AlarmDescription?: string;
  ActionsEnabled?: boolean;
  OKActions?: string[];
  AlarmActions?: string[];
  InsufficientDataActions?: string[];
  MetricName?: string;
  Namespace?: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Dimensions?: Array<{ Name: string; Value: string }>;
  Period?: number;
  Unit?: string;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Threshold?: number;
  ComparisonOperator: string;
  TreatMissingData?: string;
  Metrics?: Array<Record<string, unknown>>;
}

interface AlarmRecord {
  def: AlarmDefinition;
  arn: string;
  updatedAt: number;
  state: AlarmState;
  reason: string;
  reasonData?: string;
  stateUpdatedAt: number;
  history: Array<{ t: number; type: string; summary: string; data: string }>;
}

const OPERATORS: Record<string, [(v: number, th: number) => boolean, string]> = {
  GreaterThanOrEqualToThreshold: [(v, th) => v >= th, 'greater than or equal to'],
  GreaterThanThreshold: [(v, th) => v > th, 'greater than'],
  LessThanThreshold: [(v, th) => v < th, 'less than'],
  LessThanOrEqualToThreshold: [(v, th) => v <= th, 'less than or equal to'],
};

export interface AlarmsOptions {
  store: MetricStore;
  region: string;
  accountId: string;
  file?: string;
  /** publishes to an SNS topic (the alarm's actions) */
  notify?: (topicArn: string, subject: string, message: string) => void | Promise<void>;
  evaluateEveryMs?: number;
  log?: (m: string) => void;
}

export class Alarms {
  private readonly alarms = new Map<string, AlarmRecord>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: AlarmsOptions) {
    if (opts.file && existsSync(opts.file)) {
      try {
        for (const r of JSON.parse(readFileSync(opts.file, 'utf8')) as AlarmRecord[]) this.alarms.set(r.def.AlarmName, r);
      } catch (err) {
        opts.log?.(`cloudwatch: ${opts.file} unreadable, alarms start empty: ${(err as Error).message}`);
      }
    }
  }

  /** Starts the periodic evaluation. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.evaluateAll(), this.opts.evaluateEveryMs ?? 10_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.save();
  }

  /** Creates or replaces an alarm (PutMetricAlarm, or the template); keeps the state of one that exists. */
  put(input: Record<string, unknown>): AlarmRecord {
    const def = checkDefinition(input);
    const now = this.opts.store.now();
    const existing = this.alarms.get(def.AlarmName);
    const rec: AlarmRecord = existing
      ? { ...existing, def, updatedAt: now }
      : {
          def,
          arn: `arn:aws:cloudwatch:${this.opts.region}:${this.opts.accountId}:alarm:${def.AlarmName}`,
          updatedAt: now,
          state: 'INSUFFICIENT_DATA',
          reason: 'Unchecked: Initial alarm creation',
          stateUpdatedAt: now,
          history: [],
        };
    this.alarms.set(def.AlarmName, rec);
    this.save();
    return rec;
  }

  delete(names: string[]): void {
    for (const n of names) if (!this.alarms.delete(n)) throw resourceNotFound(`Could not find alarm ${n}`);
    this.save();
  }

  get(name: string): AlarmRecord | undefined {
    return this.alarms.get(name);
  }

  /** SetAlarmState: the state until the next evaluation. */
  setState(name: string, state: AlarmState, reason: string, reasonData?: string): void {
    const r = this.alarms.get(name);
    if (!r) throw resourceNotFound(`Could not find alarm ${name}`);
    this.transition(r, state, reason, reasonData);
  }

  evaluateAll(): void {
    for (const r of this.alarms.values()) {
      try {
        this.evaluate(r);
      } catch (err) {
        this.opts.log?.(`cloudwatch: alarm ${r.def.AlarmName}: ${(err as Error).message}`);
      }
    }
  }

  describe(input: Record<string, unknown>): Record<string, unknown> {
    this.evaluateAll();
    const names = input.AlarmNames as string[] | undefined;
    const prefix = input.AlarmNamePrefix as string | undefined;
    const stateValue = input.StateValue as string | undefined;
    const actionPrefix = input.ActionPrefix as string | undefined;
    const types = (input.AlarmTypes as string[] | undefined) ?? ['MetricAlarm'];
    if (names && prefix) throw invalidParameter('AlarmNames and AlarmNamePrefix cannot be used together.');
    const list = [...this.alarms.values()]
      .filter((r) => (!names || names.includes(r.def.AlarmName)) && (!prefix || r.def.AlarmName.startsWith(prefix)) && (!stateValue || r.state === stateValue))
      .filter((r) => !actionPrefix || [...(r.def.AlarmActions ?? []), ...(r.def.OKActions ?? []), ...(r.def.InsufficientDataActions ?? [])].some((a) => a.startsWith(actionPrefix)))
      .sort((a, b) => (a.def.AlarmName < b.def.AlarmName ? -1 : 1));
    return { MetricAlarms: types.includes('MetricAlarm') ? list.map((r) => this.view(r)) : [], CompositeAlarms: [] };
  }

  historyOf(input: Record<string, unknown>): Record<string, unknown> {
    const name = input.AlarmName as string | undefined;
    const items = [...this.alarms.values()]
      .filter((r) => !name || r.def.AlarmName === name)
      .flatMap((r) => r.history.map((h) => ({ AlarmName: r.def.AlarmName, AlarmType: 'MetricAlarm', Timestamp: new Date(h.t), HistoryItemType: h.type, HistorySummary: h.summary, HistoryData: h.data })))
      .sort((a, b) => b.Timestamp.getTime() - a.Timestamp.getTime());
    return { AlarmHistoryItems: items };
  }

  private view(r: AlarmRecord): Record<string, unknown> {
    const d = r.def;
    return {
      AlarmName: d.AlarmName,
      AlarmArn: r.arn,
      AlarmDescription: d.AlarmDescription,
      AlarmConfigurationUpdatedTimestamp: new Date(r.updatedAt),
      ActionsEnabled: d.ActionsEnabled !== false,
      OKActions: d.OKActions ?? [],
      AlarmActions: d.AlarmActions ?? [],
      InsufficientDataActions: d.InsufficientDataActions ?? [],
      StateValue: r.state,
      StateReason: r.reason,
      ...(r.reasonData ? { StateReasonData: r.reasonData } : {}),
      StateUpdatedTimestamp: new Date(r.stateUpdatedAt),
      StateTransitionedTimestamp: new Date(r.stateUpdatedAt),
      MetricName: d.MetricName,
      Namespace: d.Namespace,
      Statistic: d.Statistic,
      ExtendedStatistic: d.ExtendedStatistic,
      Dimensions: d.Dimensions ?? [],
      Period: d.Period,
      Unit: d.Unit,
      EvaluationPeriods: d.EvaluationPeriods,
      DatapointsToAlarm: d.DatapointsToAlarm,
      Threshold: d.Threshold,
      ComparisonOperator: d.ComparisonOperator,
      TreatMissingData: d.TreatMissingData ?? 'missing',
      ...(d.Metrics ? { Metrics: d.Metrics } : {}),
    };
  }

  /** The values of the alarm's last EvaluationPeriods periods (undefined: no data). */
  private window(r: AlarmRecord, now: number): Array<{ t: number; v: number | undefined }> {
    const d = r.def;
    const queries = d.Metrics
      ? d.Metrics
      : [{ Id: 'm', MetricStat: { Metric: { Namespace: d.Namespace, MetricName: d.MetricName, Dimensions: d.Dimensions }, Period: d.Period, Stat: d.Statistic ?? d.ExtendedStatistic, Unit: d.Unit } }];
    const periodOf = (q: Record<string, unknown>) => (q.MetricStat as { Period?: number } | undefined)?.Period ?? (q.Period as number | undefined);
    const period = d.Period ?? d.Metrics?.map(periodOf).find((p) => p !== undefined) ?? 60;
    const p = period * 1000;
    const last = Math.floor(now / p) * p;
    const from = last - (d.EvaluationPeriods - 1) * p;
    const results = runQueries(this.opts.store, queries as never, from, now + 1);
    const out = results.find((x) => x.returnData) ?? results[0]!;
    const byT = new Map(out.points.map((x) => [x.t, x.v]));
    const win: Array<{ t: number; v: number | undefined }> = [];
    for (let t = from; t <= last; t += p) win.push({ t, v: byT.get(t) });
    return win;
  }

  evaluate(r: AlarmRecord): void {
    const d = r.def;
    const now = this.opts.store.now();
    const [breaches, words] = OPERATORS[d.ComparisonOperator]!;
    const threshold = d.Threshold ?? 0;
    const win = this.window(r, now);
    const present = win.filter((w) => w.v !== undefined);
    const treat = d.TreatMissingData ?? 'missing';
    const m = d.DatapointsToAlarm ?? d.EvaluationPeriods;
    let breaching = present.filter((w) => breaches(w.v!, threshold)).length;
    if (treat === 'breaching') breaching += win.length - present.length;
    const recent = present.slice(-m).reverse();
    const listed = recent.map((w) => `${w.v} (${new Date(w.t).toISOString().slice(0, 19).replace('T', ' ')})`).join(', ');
    const data = JSON.stringify({
      version: '1.0',
      queryDate: new Date(now).toISOString(),
      startDate: new Date(win[0]!.t).toISOString(),
      statistic: d.Statistic ?? d.ExtendedStatistic,
      period: d.Period,
      recentDatapoints: recent.map((w) => w.v),
      threshold,
      evaluatedDatapoints: recent.map((w) => ({ timestamp: new Date(w.t).toISOString(), sampleCount: 1, value: w.v })),
    });
    if (breaching >= m) {
      this.transition(r, 'ALARM', `Threshold Crossed: ${breaching} out of the last ${win.length} datapoints [${listed}] was ${words} the threshold (${threshold}) (minimum ${m} datapoint${m === 1 ? '' : 's'} for OK -> ALARM transition).`, data);
    } else if (!present.length) {
      if (treat === 'ignore') return;
      if (treat === 'notBreaching') this.transition(r, 'OK', `Threshold Crossed: no datapoints were received for ${win.length} period${win.length === 1 ? '' : 's'} and ${win.length} missing datapoint${win.length === 1 ? ' was' : 's were'} treated as [NonBreaching].`, data);
      else this.transition(r, 'INSUFFICIENT_DATA', `Insufficient Data: ${win.length} datapoint${win.length === 1 ? ' was' : 's were'} unknown.`, data);
    } else {
      this.transition(r, 'OK', `Threshold Crossed: ${present.length - breaching} out of the last ${win.length} datapoints [${listed}] was not ${words} the threshold (${threshold}) (minimum 1 datapoint for ALARM -> OK transition).`, data);
    }
  }

  private transition(r: AlarmRecord, state: AlarmState, reason: string, reasonData?: string): void {
    if (r.state === state) return;
    const old = r.state;
    const now = this.opts.store.now();
    r.state = state;
    r.reason = reason;
    r.reasonData = reasonData;
    r.stateUpdatedAt = now;
    r.history.push({ t: now, type: 'StateUpdate', summary: `Alarm updated from ${old} to ${state}`, data: JSON.stringify({ version: '1.0', oldState: { stateValue: old }, newState: { stateValue: state, stateReason: reason } }) });
    if (r.history.length > 100) r.history.splice(0, r.history.length - 100);
    this.save();
    const d = r.def;
    if (d.ActionsEnabled === false || !this.opts.notify) return;
    const actions = state === 'ALARM' ? d.AlarmActions : state === 'OK' ? d.OKActions : d.InsufficientDataActions;
    const message = JSON.stringify({
      AlarmName: d.AlarmName,
      AlarmDescription: d.AlarmDescription ?? null,
      AWSAccountId: this.opts.accountId,
      AlarmConfigurationUpdatedTimestamp: new Date(r.updatedAt).toISOString(),
      NewStateValue: state,
      NewStateReason: reason,
      StateChangeTime: new Date(now).toISOString(),
      Region: this.opts.region,
      AlarmArn: r.arn,
      OldStateValue: old,
      OKActions: d.OKActions ?? [],
      AlarmActions: d.AlarmActions ?? [],
      InsufficientDataActions: d.InsufficientDataActions ?? [],
      Trigger: {
        MetricName: d.MetricName,
        Namespace: d.Namespace,
        StatisticType: d.ExtendedStatistic ? 'ExtendedStatistic' : 'Statistic',
        Statistic: d.Statistic ?? d.ExtendedStatistic,
        Unit: d.Unit ?? null,
        Dimensions: (d.Dimensions ?? []).map((x) => ({ value: x.Value, name: x.Name })),
        Period: d.Period,
        EvaluationPeriods: d.EvaluationPeriods,
        ComparisonOperator: d.ComparisonOperator,
        Threshold: d.Threshold,
        TreatMissingData: d.TreatMissingData ?? 'missing',
        ...(d.Metrics ? { Metrics: d.Metrics } : {}),
      },
    });
    for (const topic of actions ?? []) {
      if (!topic.startsWith('arn:aws:sns:')) continue;
      Promise.resolve(this.opts.notify(topic, `${state}: "${d.AlarmName}" in ${this.opts.region}`, message)).catch((err: Error) =>
        this.opts.log?.(`cloudwatch: alarm ${d.AlarmName}: publishing to ${topic} failed: ${err.message}`),
      );
    }
  }

  private save(): void {
    if (!this.opts.file) return;
    writeFileSync(`${this.opts.file}.tmp`, JSON.stringify([...this.alarms.values()]));
    renameSync(`${this.opts.file}.tmp`, this.opts.file);
  }
}

function checkDefinition(input: Record<string, unknown>): AlarmDefinition {
  const d = input as unknown as AlarmDefinition;
  if (typeof d.AlarmName !== 'string' || !d.AlarmName) throw missingParameter('AlarmName');
  if (!OPERATORS[d.ComparisonOperator]) {
    if (typeof d.ComparisonOperator !== 'string') throw missingParameter('ComparisonOperator');
    throw invalidParameter(`The value ${d.ComparisonOperator} for parameter ComparisonOperator is not supported locally (anomaly detection bands are not).`);
  }
  const n = Number(d.EvaluationPeriods);
  if (!Number.isInteger(n) || n < 1) throw missingParameter('EvaluationPeriods');
  const def: AlarmDefinition = { ...d, EvaluationPeriods: n };
  if (d.DatapointsToAlarm !== undefined) def.DatapointsToAlarm = Number(d.DatapointsToAlarm);
  if (d.Threshold !== undefined) def.Threshold = Number(d.Threshold);
  if (d.Period !== undefined) def.Period = checkPeriod(Number(d.Period));
  if (typeof d.ActionsEnabled === 'string') def.ActionsEnabled = d.ActionsEnabled !== 'false';
  if (d.Metrics) {
    if (d.MetricName || d.Namespace) throw invalidParameter('Metrics cannot be combined with MetricName and Namespace.');
    const returning = d.Metrics.filter((q) => q.ReturnData !== false && q.ReturnData !== 'false');
    if (returning.length !== 1) throw invalidParameter('Exactly one element of the Metrics list must return data.');
    def.Metrics = d.Metrics.map((q) => ({
      ...q,
      ReturnData: q === returning[0],
      ...(q.MetricStat ? { MetricStat: { ...(q.MetricStat as object), Period: Number((q.MetricStat as { Period: unknown }).Period) } } : {}),
    }));
  } else {
    if (!d.MetricName) throw missingParameter('MetricName');
    if (!d.Namespace) throw missingParameter('Namespace');
    if (!d.Statistic && !d.ExtendedStatistic) throw missingParameter('Statistic or ExtendedStatistic');
    if (d.Period === undefined) throw missingParameter('Period');
  }
  return def;
}
