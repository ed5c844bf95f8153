/**
 * Kafka consumer lag, read from the broker as MSK's monitoring reads it: for each consumer group
 * and each partition of the topics it committed offsets for, lag = the partition's log end offset
 * minus the group's committed offset (a partition never committed: its whole log). Read through
 * the Kafka protocol (kafkajs' admin client: ListGroups, OffsetFetch, ListOffsets), every
 * `everyMs` (default 10 s), and recorded as MSK publishes it, in `AWS/Kafka` with the dimensions
 * `Cluster Name`, `Consumer Group`, `Topic`: `SumOffsetLag`, `MaxOffsetLag`, and per partition
 * `OffsetLag` (with `Partition`). The last reading is also served to Prometheus.
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { LagRow } from './prometheus';
import type { MetricStore } from './store';

export interface KafkaLagOptions {
  bootstrap: string;
  clusterName: string;
  store: MetricStore;
  everyMs?: number;
  log?: (m: string) => void;
}

export class KafkaLag {
  rows: LagRow[] = [];
  private admin: Admin | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly opts: KafkaLagOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sample(), this.opts.everyMs ?? 10_000);
    this.timer.unref();
  }

  /** Reads the lag now (also what the timer does); resolves when recorded. */
  sample(): Promise<void> {
    this.running ??= this.read()
      .catch((err: Error) => this.opts.log?.(`cloudwatch: reading Kafka consumer lag: ${err.message}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = undefined;
  }

  private async connected(): Promise<Admin> {
    if (!this.admin) {
      const kafka = new Kafka({ clientId: 'local-cloudwatch-lag', brokers: this.opts.bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 1 } });
      const admin = kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  private async read(): Promise<void> {
    const admin = await this.connected();
    const { groups } = await admin.listGroups();
    // OffsetFetch for named topics (v1): a broker may not answer "every topic" (v2+)
    const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__'));
    const ends = new Map<string, Map<number, { high: number; low: number }>>();
    const endsOf = async (topic: string) => {
      let m = ends.get(topic);
      if (!m) {
        m = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, { high: Number(p.high), low: Number(p.low) }]));
        ends.set(topic, m);
      }
      return m;
    };
    const rows: LagRow[] = [];
    const t = this.opts.store.now();
    for (const g of groups) {
      const committed = topics.length ? await admin.fetchOffsets({ groupId: g.groupId, topics }) : [];
      for (const { topic, partitions } of committed) {
        if (!partitions.some((p) => p.offset !== '-1')) continue; // a group that never committed on this topic
        const end = await endsOf(topic);
        let sum = 0;
        let max = 0;
        for (const p of partitions) {
          const e = end.get(p.partition);
          if (!e) continue;
          const lag = Math.max(0, e.high - (p.offset === '-1' ? e.low : Number(p.offset)));
          rows.push({ group: g.groupId, topic, partition: p.partition, lag });
          sum += lag;
          max = Math.max(max, lag);
          this.opts.store.add('AWS/Kafka', 'OffsetLag', this.dims(g.groupId, topic, [{ Name: 'Partition', Value: String(p.partition) }]), [{ t, v: lag }], 'Count', false, false);
        }
        this.opts.store.add('AWS/Kafka', 'SumOffsetLag', this.dims(g.groupId, topic), [{ t, v: sum }], 'Count', false, false);
        this.opts.store.add('AWS/Kafka', 'MaxOffsetLag', this.dims(g.groupId, topic), [{ t, v: max }], 'Count', false, false);
      }
    }
    this.rows = rows;
  }

  private dims(group: string, topic: string, extra: Array<{ Name: string; Value: string }> = []) {
    return [{ Name: 'Cluster Name', Value: this.opts.clusterName }, { Name: 'Consumer Group', Value: group }, { Name: 'Topic', Value: topic }, ...extra];
  }
}
