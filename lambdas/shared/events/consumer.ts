/**
 * The consumer side of the backbone: a Lambda handler for a Kafka event source mapping that
 * parses each record's envelope (Powertools' Kafka utility), skips events already handled
 * (Powertools' Idempotency utility, keyed by event id per consumer, in the processed-events
 * table) and hands the rest to the service's handler one by one, in partition order. A failure
 * fails the batch so the mapping retries it (and, after its retries, sends it to the on-failure
 * destination); the events handled before the failure are skipped on the retry.
 */
import { kafkaConsumer } from '@aws-lambda-powertools/kafka';
import { SchemaType } from '@aws-lambda-powertools/kafka';
import type { MSKEvent } from '@aws-lambda-powertools/kafka/types';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { currentTraceHeader, readProcessedEventsTable } from '../env';
import { METRICS } from '../metric-names';
import { observability } from '../middleware/observability';
import { logger, metrics, MetricUnit, tracer } from '../powertools';
import { deduplicator, type EventHandler } from './dedup';
import { envelopeSchema, type EventEnvelope } from './envelope';
import { linkTo } from './trace';

export type { EventContext, EventHandler } from './dedup';

export interface ConsumerOptions {
  /** names this consumer in the dedup keys: two consumers of one event each handle it once */
  consumerName: string;
  /** how long an event id is remembered (default 7 days) */
  dedupSeconds?: number;
  /** how many keys of a batch are handled at once (default 8; 1 = the batch strictly in order) */
  lanes?: number;
  /**
   * For events that report a state, each replacing the previous one (a stock level): the key of
   * what they report and the state's version. Of the events of one key in a batch only the newest
   * (highest version; the last of equals) is handled; the others are superseded by it and skipped
   * (counted as consumed, no dedup record). Under a burst on
   * a hot product a batch holds dozens of its levels, and each one handled was a write, an event
   * and a projection of a state already gone.
   */
  latestOnly?: (ev: EventEnvelope) => { key: string; version: number } | undefined;
}

/**
 * The records of a batch that another record of the same `latestOnly` key supersedes: every one
 * but the highest version of its key (of equal versions, the last in the batch's order).
 */
export function superseded<R>(
  records: readonly R[],
  envelopeOf: (r: R) => EventEnvelope | undefined,
  stateOf: (ev: EventEnvelope) => { key: string; version: number } | undefined,
): Set<R> {
  const newest = new Map<string, { record: R; version: number }>();
  const keyed: Array<[R, string]> = [];
  for (const r of records) {
    const ev = envelopeOf(r);
    const state = ev && stateOf(ev);
    if (!state) continue;
    const held = newest.get(state.key);
    if (!held || state.version >= held.version) newest.set(state.key, { record: r, version: state.version });
    keyed.push([r, state.key]);
  }
  return new Set(keyed.filter(([r, key]) => newest.get(key)!.record !== r).map(([r]) => r));
}

/**
 * Each event costs a few round trips (the dedup record's claim and completion, the handler's own
 * writes), so a batch handled one event after another takes its size times that: under a burst a
 * batch of a few hundred events held an invocation for most of a minute. Kafka orders events only
 * per key (the topic is keyed by the event's subject), and that is the order consumers rely on, so
 * the events of one key are handled one after another in offset order while different keys go at
 * once, a few at a time.
 */
const DEFAULT_LANES = 8;

/**
 * Runs `work` over `items`: those of one lane (`laneOf`) one after another in their order, up to
 * `lanes` lanes at once. A failure stops its lane (the later items of that key wait for the retry,
 * so their order holds) and, once every lane has settled, is rethrown: the batch is retried, and
 * what was handled is skipped by the dedup on the retry.
 */
export async function inLanes<T>(items: readonly T[], laneOf: (item: T) => string, work: (item: T) => Promise<void>, lanes: number): Promise<void> {
  const byLane = new Map<string, T[]>();
  for (const item of items) {
    const lane = laneOf(item);
    const list = byLane.get(lane);
    if (list) list.push(item);
    else byLane.set(lane, [item]);
  }
  const queue = [...byLane.values()];
  const errors: unknown[] = [];
  const worker = async (): Promise<void> => {
    for (let lane = queue.shift(); lane; lane = queue.shift()) {
      try {
        for (const item of lane) await inOwnTraceContext(() => work(item));
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, queue.length)) }, worker));
  if (errors.length) throw errors[0];
}

/**
 * The X-Ray SDK keeps the current (sub)segment in a continuation-local context; `traced` swaps it
 * for the event's subsegment, so lanes that run at once each get a child context of their own.
 */
function inOwnTraceContext<T>(work: () => Promise<T>): Promise<T> {
  if (!tracer.isTracingEnabled()) return work();
  const ns = tracer.provider.getNamespace() as unknown as { active?: unknown; runPromise?: (fn: () => Promise<T>) => Promise<T> };
  return ns.active && ns.runPromise ? ns.runPromise(work) : work();
}

/** A record header's value (Powertools' Kafka utility gives headers as `[{ name: value }]`, values as bytes or strings). */
function headerOf(headers: unknown, name: string): string | undefined {
  if (!Array.isArray(headers)) return undefined;
  for (const h of headers as Array<Record<string, unknown>>) {
    const v = h?.[name];
    if (v === undefined) continue;
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) return Buffer.from(v as number[]).toString('utf8');
  }
  return undefined;
}

/** The order an event concerns, for the `order_id` annotation that finds an order's trace. */
function orderIdOf(ev: EventEnvelope): string | undefined {
  const data = ev.data as Record<string, unknown> | null;
  const id = data && typeof data === 'object' ? (data.order_id ?? data.orderId) : undefined;
  if (typeof id === 'string') return id;
  return ev.source === 'orders' ? ev.subject : undefined;
}

/**
 * Handles one event inside a subsegment of its own, annotated with the event's type and order,
 * linked to the event's trace when the invocation runs in another one (./trace.ts).
 */
async function traced<T>(ev: EventEnvelope, recordTrace: string | undefined, work: () => Promise<T>): Promise<T> {
  const parent = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
  if (!parent) return work();
  const sub = parent.addNewSubsegment(`### ${ev.type}`);
  tracer.setSegment(sub);
  sub.addAnnotation('event_type', ev.type);
  const orderId = orderIdOf(ev);
  if (orderId) sub.addAnnotation('order_id', orderId);
  const link = linkTo(recordTrace, currentTraceHeader());
  if (link) (sub as unknown as { links: unknown[] }).links = [link];
  try {
    return await work();
  } catch (err) {
    sub.addError(err as Error);
    throw err;
  } finally {
    sub.close();
    tracer.setSegment(parent);
  }
}

export function eventConsumer(handle: EventHandler, options: ConsumerOptions) {
  const dedup = deduplicator(handle, { ...options, tableName: readProcessedEventsTable() });

  const perBatch = kafkaConsumer<string, unknown>(
    async (event, context: Context) => {
      dedup.registerLambdaContext(context);
      const handledByTopic = new Map<string, number>();
      const latestOnly = options.latestOnly;
      const skip = latestOnly
        ? superseded(event.records, (r) => {
            const p = envelopeSchema.safeParse(r.value);
            return p.success ? (p.data as EventEnvelope) : undefined;
          }, latestOnly)
        : undefined;
      const handleRecord = async (record: (typeof event.records)[number]): Promise<void> => {
        if (skip?.has(record)) {
          logger.debug('superseded by a later event of the batch', { topic: record.topic, partition: record.partition, offset: record.offset });
          handledByTopic.set(record.topic, (handledByTopic.get(record.topic) ?? 0) + 1);
          return;
        }
        const parsed = envelopeSchema.safeParse(record.value);
        if (!parsed.success) {
          // A poison message is logged and counted, never retried forever.
          logger.error('dropping a record that is not an event envelope', { topic: record.topic, partition: record.partition, offset: record.offset });
          metrics.addMetric('KafkaPoisonMessages', MetricUnit.Count, 1);
          return;
        }
        const ev = parsed.data as EventEnvelope;
        const recordTrace = headerOf(record.headers, 'x-amzn-trace-id') ?? ev.trace;
        const done = await traced(ev, recordTrace, () => dedup.handle(ev, { topic: record.topic, partition: record.partition, offset: record.offset }));
        if (done) handledByTopic.set(record.topic, (handledByTopic.get(record.topic) ?? 0) + 1);
      };
      await inLanes(event.records, (r) => `${r.topic}\u0000${r.originalKey ?? `partition-${r.partition}`}`, handleRecord, options.lanes ?? DEFAULT_LANES);
      let handled = 0;
      for (const [topic, n] of handledByTopic) {
        const single = metrics.singleMetric();
        single.addDimension('topic', topic);
        single.addMetric(METRICS.kafkaMessagesConsumed.name, MetricUnit.Count, n);
        handled += n;
      }
      return { handled };
    },
    { value: { type: SchemaType.JSON } },
  );

  return middy<MSKEvent, unknown>((event: MSKEvent, context: Context) => perBatch(event, context)).use(observability());
}
