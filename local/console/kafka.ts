/**
 * A small read-only inspection of the Kafka broker for the console's Events page, through the
 * Kafka protocol as any client sees the broker (kafkajs, already the platform's client):
 *
 *   GET /_local/kafka/topics                 {"topics": [{name, partitions: [{partition, low, high}]}],
 *                                             "groups": [{group_id, state, lag, topics: [{topic, lag,
 *                                             partitions: [{partition, committed, high, lag}]}]}]}
 *   GET /_local/kafka/messages?topic=T[&partition=P][&limit=N]
 *                                            {"messages": [{partition, offset, timestamp, key, headers, value}]}
 *                                             the last N (default 20, at most 200) of each partition, oldest first
 *
 * Lag is counted as MSK counts it (local/cloudwatch/kafka-lag.ts): the log end offset minus the
 * group's committed offset, the whole log for a partition never committed. The tail reads with a
 * consumer of a throw-away group (never committed, deleted afterwards): kafkajs has no group-less
 * fetch, and a tail is a person clicking, not a hot path.
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { Kafka, logLevel, type Admin } from 'kafkajs';

export interface KafkaInspection {
  route(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean>;
  close(): Promise<void>;
}

function json(res: http.ServerResponse, status: number, doc: unknown): void {
  const body = Buffer.from(JSON.stringify(doc));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(body.length), 'cache-control': 'no-store' });
  res.end(body);
}

export function createKafkaInspection(bootstrap: () => string | undefined): KafkaInspection {
  let kafka: Kafka | undefined;
  let admin: Promise<Admin> | undefined;
  const client = () => {
    const b = bootstrap();
    if (!b) throw new Error('the Kafka broker is not running');
    kafka ??= new Kafka({ clientId: 'local-console', brokers: [b], logLevel: logLevel.NOTHING, retry: { retries: 1 } });
    return kafka;
  };
  const getAdmin = () =>
    (admin ??= (async () => {
      const a = client().admin();
      await a.connect();
      return a;
    })().catch((err: unknown) => {
      admin = undefined;
      throw err;
    }));

  async function overview() {
    const a = await getAdmin();
    const names = (await a.listTopics()).filter((t) => !t.startsWith('__')).sort();
    const offsets = new Map<string, Array<{ partition: number; low: number; high: number }>>();
    await Promise.all(
      names.map(async (name) => {
        const p = await a.fetchTopicOffsets(name);
        offsets.set(
          name,
          p.map((x) => ({ partition: x.partition, low: Number(x.low), high: Number(x.high) })).sort((x, y) => x.partition - y.partition),
        );
      }),
    );
    const { groups } = await a.listGroups();
    const described = groups.length ? (await a.describeGroups(groups.map((g) => g.groupId))).groups : [];
    const out = await Promise.all(
      groups
        .filter((g) => !g.groupId.startsWith('console-tail-'))
        .map(async (g) => {
          const committed = await a.fetchOffsets({ groupId: g.groupId, topics: names });
          const topics = committed
            .filter((t) => t.partitions.some((p) => Number(p.offset) >= 0))
            .map((t) => {
              const parts = (offsets.get(t.topic) ?? []).map((o) => {
                const c = Number(t.partitions.find((p) => p.partition === o.partition)?.offset ?? -1);
                return { partition: o.partition, committed: c, high: o.high, lag: c >= 0 ? Math.max(0, o.high - c) : o.high - o.low };
              });
              return { topic: t.topic, lag: parts.reduce((s, p) => s + p.lag, 0), partitions: parts };
            });
          return { group_id: g.groupId, state: described.find((d) => d.groupId === g.groupId)?.state ?? 'Unknown', lag: topics.reduce((s, t) => s + t.lag, 0), topics };
        }),
    );
    return { topics: names.map((name) => ({ name, partitions: offsets.get(name) ?? [] })), groups: out.sort((x, y) => x.group_id.localeCompare(y.group_id)) };
  }

  async function tail(topic: string, partition: number | undefined, limit: number) {
    const a = await getAdmin();
    const parts = (await a.fetchTopicOffsets(topic)).filter((p) => partition === undefined || p.partition === partition);
    const wanted = parts.map((p) => ({ partition: p.partition, from: Math.max(Number(p.low), Number(p.high) - limit), high: Number(p.high) })).filter((p) => p.high > p.from);
    const messages: Array<{ partition: number; offset: string; timestamp: string; key: string | null; headers: Record<string, string>; value: string | null }> = [];
    if (!wanted.length) return { messages };
    const groupId = `console-tail-${randomUUID()}`;
    const consumer = client().consumer({ groupId, sessionTimeout: 6000, rebalanceTimeout: 6000, heartbeatInterval: 1000, allowAutoTopicCreation: false });
    const done = new Set<number>();
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, 5000); // whatever arrived by then
        consumer.on(consumer.events.GROUP_JOIN, () => {
          for (const w of wanted) consumer.seek({ topic, partition: w.partition, offset: String(w.from) });
        });
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition: p, message }) => {
              const w = wanted.find((x) => x.partition === p);
              if (!w || Number(message.offset) < w.from || Number(message.offset) >= w.high) return;
              messages.push({
                partition: p,
                offset: message.offset,
                timestamp: new Date(Number(message.timestamp)).toISOString(),
                key: message.key?.toString('utf8') ?? null,
                headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(Array.isArray(v) ? v[0] : v)])),
                value: message.value?.toString('utf8') ?? null,
              });
              if (Number(message.offset) >= w.high - 1) done.add(p);
              if (done.size === wanted.length) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect().catch(() => undefined);
      await a.deleteGroups([groupId]).catch(() => undefined);
    }
    messages.sort((x, y) => x.partition - y.partition || Number(x.offset) - Number(y.offset));
    return { messages };
  }

  return {
    async route(req, res, url) {
      if (req.method !== 'GET' || !url.pathname.startsWith('/_local/kafka/')) return false;
      try {
        if (url.pathname === '/_local/kafka/topics') {
          json(res, 200, await overview());
          return true;
        }
        if (url.pathname === '/_local/kafka/messages') {
          const topic = url.searchParams.get('topic');
          if (!topic) {
            json(res, 400, { error: 'topic is required' });
            return true;
          }
          const p = url.searchParams.get('partition');
          const limit = Math.min(200, Math.max(1, Number(url.searchParams.get('limit') ?? 20) || 20));
          json(res, 200, await tail(topic, p === null || p === '' ? undefined : Number(p), limit));
          return true;
        }
      } catch (err) {
        json(res, 502, { error: `reading the broker: ${(err as Error).message}` });
        return true;
      }
      json(res, 404, { error: `no inspection at ${url.pathname}` });
      return true;
    },
    async close() {
      const a = admin;
      admin = undefined;
      if (a) await (await a.catch(() => undefined))?.disconnect().catch(() => undefined);
    },
  };
}
