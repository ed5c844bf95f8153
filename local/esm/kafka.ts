/**
 * A Lambda event source mapping for Kafka (Amazon MSK / self-managed Apache Kafka), run
 * locally: a kafkajs consumer-group member that reads the topics, invokes the function with
 * batches shaped exactly like the events Lambda sends, and commits offsets only after the
 * invoke succeeded.
 *
 * As Lambda does:
 * - an event holds at most `batchSize` records, keyed "topic-partition" (one partition per
 *   event here), with key/value base64 and headers as [{ name: [byte, ...] }];
 * - a failing batch is retried (short exponential backoff) until it succeeds, as AWS does by
 *   default (`maximumRetryAttempts` -1, `maximumRecordAgeMs` -1), or, when the template sets
 *   a limit, until `maximumRetryAttempts` retries failed or its oldest record is older than
 *   `maximumRecordAgeMs`; then it is handed to `onFailure` (the on-failure destination) and
 *   consumption moves on past it. Offsets are committed only past a batch the function took
 *   or the on-failure destination holds: if the hand-off fails, the batch is retried;
 * - a throttled invoke (Lambda did not run the function) is not an attempt: it is retried
 *   whatever the retry limit (see invocation.ts);
 * - the member heartbeats while the function runs, so a batch longer than the session timeout
 *   does not cost the group membership (and a rebalance that would redeliver the batch);
 * - the starting position (LATEST / TRIM_HORIZON) applies when the group has no committed
 *   offset; it is pinned (looked up) when the mapping starts and sought to at the first
 *   assignment, so records produced after start() resolves are never skipped;
 * - the batching window (`maximumBatchingWindowMs`, Lambda's default for Kafka is 500 ms) is
 *   the fetch's long poll: the broker holds the fetch until roughly a full batch
 *   (batchSize x 512 bytes, at most 1 MiB) is available or the window ends. With a window of 0
 *   the fetch returns as soon as any record is there.
 *
 * - filter criteria (`filters`) are applied to each record's value before batching, as Lambda
 *   filters Kafka records: the value is read as JSON when it is JSON (else as a string) and a
 *   record passes when any pattern matches `{ value }`. A record that passes none is dropped and
 *   committed past; a fetch whose records all fail the filters invokes nothing.
 *
 * Records with a null key have no `key` field; tombstones (null value) have no `value` field.
 * Lambda also leaves them out.
 */
import { Kafka, type Consumer, type EachBatchPayload, type KafkaMessage, logLevel, type LogEntry } from 'kafkajs';
import { passesFilters } from '../eventbridge/pattern';
import { isThrottle } from './invocation';

export interface MskRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: 'CREATE_TIME' | 'LOG_APPEND_TIME';
  /** base64; absent when the record has no key. */
  key?: string;
  /** base64; absent for a tombstone (null value). */
  value?: string;
  headers: Record<string, number[]>[];
}

export interface MskEvent {
  eventSource: 'aws:kafka';
  eventSourceArn: string;
  bootstrapServers: string;
  records: Record<string, MskRecord[]>;
}

export interface KafkaEventSourceMappingOptions {
  bootstrap: string;
  topics: string[];
  groupId: string;
  /** Max records per invoke. */
  batchSize: number;
  maximumBatchingWindowMs?: number;
  startingPosition: 'LATEST' | 'TRIM_HORIZON';
  /** Retries after the first failed invoke before onFailure. Default -1: retries until it succeeds (AWS's default). */
  maximumRetryAttempts?: number;
  /** A batch whose oldest record is older than this goes to onFailure. Default -1: no limit (AWS's default). */
  maximumRecordAgeMs?: number;
  eventSourceArn: string;
  /** FilterCriteria patterns (JSON text); none: every record goes to the function */
  filters?: string[];
  /** Throws when the function fails (a FunctionInvocationError tells a throttle from a failure). */
  invoke: (event: MskEvent) => Promise<void>;
  /** Throws when the batch could not be handed off: it is then retried, never skipped. */
  onFailure?: (failure: KafkaFailure) => Promise<void>;
  /** Group session timeout (default 30 s) and heartbeat interval (default 3 s). */
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** Wait before retrying a failed batch (default 100 ms doubling, at most 2 s). */
  retryDelayMs?: (attempt: number) => number;
  log?: (m: string) => void;
}

export interface KafkaFailure {
  event: MskEvent;
  error: string;
  /** invokes the function ran (throttles not counted) */
  attempts: number;
  condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
  /** the last attempt's error (a FunctionInvocationError when the function failed) */
  lastError: unknown;
}

export interface KafkaEventSourceMapping {
  stop(): Promise<void>;
}

export class EventSourceMappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventSourceMappingError';
  }
}

const DEFAULT_WINDOW_MS = 500;
const IDLE_POLL_MS = 500;
const BYTES_PER_RECORD_ESTIMATE = 512;
const BACKOFF_BASE_MS = 100;
const BACKOFF_MAX_MS = 2000;
const JOIN_TIMEOUT_MS = 30_000;

/**
 * What Lambda's Kafka filtering looks at: the record's value only, as JSON when it parses
 * (an object's fields can then be matched) and otherwise as the string itself.
 */
export function filterView(value: Buffer | null | undefined): { value?: unknown } {
  if (value === null || value === undefined) return {};
  const text = value.toString('utf8');
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { value: text };
  }
}

/** Whether a record's value passes `filters` (no filters: every record). */
export function passesKafkaFilters(filters: readonly string[], value: Buffer | null | undefined): boolean {
  return filters.length === 0 || passesFilters(filters, filterView(value));
}

export function toMskRecord(topic: string, partition: number, m: KafkaMessage): MskRecord {
  const rec: MskRecord = {
    topic,
    partition,
    offset: Number(m.offset),
    timestamp: Number(m.timestamp),
    timestampType: 'CREATE_TIME', // the broker stores producer (create) time only
    headers: [],
  };
  if (m.key !== null && m.key !== undefined) rec.key = m.key.toString('base64');
  if (m.value !== null && m.value !== undefined) rec.value = m.value.toString('base64');
  for (const [name, v] of Object.entries(m.headers ?? {})) {
    for (const one of Array.isArray(v) ? v : [v]) {
      rec.headers.push({ [name]: one === undefined || one === null ? [] : [...Buffer.from(one)] });
    }
  }
  return rec;
}

function validate(o: KafkaEventSourceMappingOptions): void {
  if (!o.bootstrap) throw new EventSourceMappingError('bootstrap is required');
  if (!o.topics.length) throw new EventSourceMappingError('at least one topic is required');
  if (!o.groupId) throw new EventSourceMappingError('groupId is required');
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1 || o.batchSize > 10_000) throw new EventSourceMappingError('batchSize must be 1..10000');
  const r = o.maximumRetryAttempts;
  if (r !== undefined && (!Number.isInteger(r) || r < -1)) throw new EventSourceMappingError('maximumRetryAttempts must be -1 or >= 0');
  const a = o.maximumRecordAgeMs;
  if (a !== undefined && a !== -1 && (!Number.isFinite(a) || a < 0)) throw new EventSourceMappingError('maximumRecordAgeMs must be -1 or >= 0');
  const w = o.maximumBatchingWindowMs;
  if (w !== undefined && (!Number.isFinite(w) || w < 0 || w > 300_000)) throw new EventSourceMappingError('maximumBatchingWindowMs must be 0..300000');
}

export async function startKafkaEventSourceMapping(opts: KafkaEventSourceMappingOptions): Promise<KafkaEventSourceMapping> {
  validate(opts);
  const log = opts.log ?? (() => undefined);
  const maxRetries = opts.maximumRetryAttempts ?? -1;
  const maxAgeMs = opts.maximumRecordAgeMs ?? -1;
  const heartbeatInterval = opts.heartbeatIntervalMs ?? 3_000;
  const retryDelay = opts.retryDelayMs ?? ((attempt: number) => Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1)));
  const windowMs = opts.maximumBatchingWindowMs ?? DEFAULT_WINDOW_MS;
  const brokers = opts.bootstrap.split(',').map((s) => s.trim());
  const kafka = new Kafka({
    clientId: `esm-${opts.groupId}`,
    brokers,
    logLevel: logLevel.WARN,
    logCreator: () => (e: LogEntry) => log(`kafkajs ${e.namespace}: ${e.log.message}`),
    retry: { initialRetryTime: 100, retries: 8 },
  });

  let pins: { topic: string; partition: number; offset: string }[] = [];

  const consumer: Consumer = kafka.consumer({
    groupId: opts.groupId,
    maxWaitTimeInMs: windowMs > 0 ? windowMs : IDLE_POLL_MS,
    minBytes: windowMs > 0 ? Math.min(opts.batchSize * BYTES_PER_RECORD_ESTIMATE, 1024 * 1024) : 1,
    sessionTimeout: opts.sessionTimeoutMs ?? 30_000,
    heartbeatInterval: heartbeatInterval,
  });
  let stopping = false;
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

  /**
   * Runs `work` while heartbeating the group every heartbeat interval: kafkajs heartbeats only
   * between fetches, so a function that runs longer than the session timeout would otherwise be
   * dropped from the group, its partitions reassigned and the batch delivered twice.
   */
  async function heartbeating<T>(heartbeat: () => Promise<void>, work: () => Promise<T>): Promise<T> {
    const timer = setInterval(() => void heartbeat().catch(() => undefined), heartbeatInterval);
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  }

  /**
   * Invokes with retries until the function takes the batch or the batch is handed to
   * onFailure; false means the mapping is stopping and nothing may be committed.
   */
  async function deliver(event: MskEvent, heartbeat: () => Promise<void>): Promise<boolean> {
    const records = Object.values(event.records).flat();
    const oldest = Math.min(...records.map((r) => r.timestamp));
    let attempts = 0;
    let lastError: unknown;
    let handOff: KafkaFailure['condition'] | undefined;
    for (let round = 1; ; round++) {
      if (stopping) return false;
      if (!handOff) {
        try {
          await heartbeating(heartbeat, () => opts.invoke(event));
          return true;
        } catch (err) {
          lastError = err;
          const error = err instanceof Error ? err.message : String(err);
          if (!isThrottle(err)) attempts++;
          if (maxRetries !== -1 && attempts > maxRetries) handOff = 'RetryAttemptsExhausted';
          else if (maxAgeMs !== -1 && Date.now() - oldest > maxAgeMs) handOff = 'RecordAgeExceeded';
          else log(`invoke ${isThrottle(err) ? 'throttled' : `failed (attempt ${attempts})`}, retrying: ${error}`);
        }
      }
      if (handOff) {
        const error = lastError instanceof Error ? lastError.message : String(lastError);
        if (!opts.onFailure) return true; // no destination: the batch is dropped, as Lambda drops it
        try {
          await heartbeating(heartbeat, () => opts.onFailure!({ event, error, attempts, condition: handOff!, lastError }));
          log(`batch given to on-failure (${handOff}, ${attempts} attempt(s)): ${error}`);
          return true;
        } catch (e) {
          // not committed past: retried until the destination takes it
          log(`on-failure destination refused the batch, retrying: ${(e as Error).message}`);
        }
      }
      await sleep(retryDelay(Math.min(round, 30)));
      await heartbeat().catch(() => undefined);
    }
  }

  async function eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition, messages } = batch;
    const filters = opts.filters ?? [];
    const commitThrough = async (offset: string) => {
      await consumer.commitOffsets([{ topic, partition, offset: (BigInt(offset) + 1n).toString() }]);
      resolveOffset(offset);
      await heartbeat();
    };
    // filtered before batching (a dropped record takes no room in a batch), as Lambda does
    let chunk: KafkaMessage[] = [];
    for (let i = 0; i < messages.length; i++) {
      if (!isRunning() || isStale() || stopping) return;
      const m = messages[i];
      if (passesKafkaFilters(filters, m.value)) chunk.push(m);
      const last = i === messages.length - 1;
      if (chunk.length === opts.batchSize || (last && chunk.length > 0)) {
        const event: MskEvent = {
          eventSource: 'aws:kafka',
          eventSourceArn: opts.eventSourceArn,
          bootstrapServers: opts.bootstrap,
          records: { [`${topic}-${partition}`]: chunk.map((r) => toMskRecord(topic, partition, r)) },
        };
        if (!(await deliver(event, heartbeat))) return;
        chunk = [];
        await commitThrough(m.offset);
      } else if (last) {
        await commitThrough(m.offset); // the rest were filtered out: nothing to invoke, committed past
      }
    }
  }

  const joined = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new EventSourceMappingError(`group ${opts.groupId} did not form within ${JOIN_TIMEOUT_MS} ms`)), JOIN_TIMEOUT_MS);
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      // First assignment: start partitions without a committed offset at the pinned position.
      // (kafkajs applies seeks made here before its first fetch.)
      for (const pin of pins.splice(0)) {
        if (e.payload.memberAssignment[pin.topic]?.includes(pin.partition)) consumer.seek(pin);
      }
      clearTimeout(timer);
      resolve();
    });
  });
  consumer.on(consumer.events.CRASH, (e) => log(`consumer crashed (restart: ${e.payload.restart}): ${e.payload.error.message}`));

  try {
    await consumer.connect();
    await consumer.subscribe({ topics: opts.topics, fromBeginning: opts.startingPosition === 'TRIM_HORIZON' });
    pins = await startingOffsets(kafka, opts); // after subscribe, which creates missing topics if the broker allows
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 4, eachBatch });
    await joined;
  } catch (err) {
    await consumer.disconnect().catch(() => undefined);
    throw err;
  }
  log(`event source mapping ${opts.eventSourceArn} consuming ${opts.topics.join(',')} as ${opts.groupId}`);

  let stopped: Promise<void> | null = null;
  return {
    stop() {
      stopped ??= (async () => {
        stopping = true;
        await consumer.disconnect();
      })();
      return stopped;
    },
  };
}

/**
 * The start offset of each partition the group has no committed offset for, looked up now, so
 * LATEST means "records produced after the mapping started" rather than "after the consumer's
 * first fetch". Topics that still do not exist are left to kafkajs.
 */
async function startingOffsets(kafka: Kafka, opts: KafkaEventSourceMappingOptions): Promise<{ topic: string; partition: number; offset: string }[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const topics = opts.topics.filter((t) => existing.has(t));
    if (topics.length === 0) return [];
    const pins: { topic: string; partition: number; offset: string }[] = [];
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId: opts.groupId, topics })) {
      const missing = new Set(partitions.filter((p) => p.offset === '-1').map((p) => p.partition));
      if (missing.size === 0) continue;
      for (const b of await admin.fetchTopicOffsets(topic)) {
        if (missing.has(b.partition)) pins.push({ topic, partition: b.partition, offset: opts.startingPosition === 'LATEST' ? b.high : b.low });
      }
    }
    return pins;
  } finally {
    await admin.disconnect();
  }
}
