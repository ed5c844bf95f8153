/**
 * A Lambda event source mapping for DynamoDB Streams, run locally against DynamoDB Local's
 * streams: it reads each shard in order, invokes the function with events shaped as Lambda
 * sends them, and advances a checkpoint (kept in a file, so a restart resumes where it was)
 * only past records the function handled. As Lambda does:
 * - filter criteria drop records before the invoke (and they count as handled);
 * - `MaximumBatchingWindowInSeconds`: a read that finds fewer records than the batch size is
 *   followed by more until the batch is full or the window ends, then one invoke;
 * - `ReportBatchItemFailures`: the checkpoint moves to just before the first failed record
 *   and the batch is retried from there;
 * - a failing batch is retried up to `maximumRetryAttempts` (-1 = until the record expires)
 *   or until its oldest record is older than `maximumRecordAgeMs` (-1 = no limit), halved first
 *   when `bisectBatchOnError`; then it goes to the on-failure destination and the mapping moves
 *   on. A throttled invoke is not an attempt (invocation.ts). If the destination refuses the
 *   batch, the checkpoint stays and the batch is tried again.
 * - checkpoints are written to a temp file and renamed: a crash mid-write leaves the old one.
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type GetRecordsCommandOutput,
  type _Record as StreamRecord,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { passesFilters } from './event-pattern';
import { isThrottle } from './invocation';
import type { FailureCondition } from './on-failure';

export interface DynamoDbStreamMappingOptions {
  uuid: string;
  endpoint: string;
  region: string;
  streamArn: string;
  batchSize: number;
  maximumBatchingWindowMs: number;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  maximumRetryAttempts: number;
  /** a batch whose oldest record is older than this goes to on-failure (-1 or absent: no limit) */
  maximumRecordAgeMs?: number;
  /** wait before retrying a failed batch (default: 50 ms doubling, at most 2 s) */
  retryDelayMs?: (attempt: number) => number;
  bisectBatchOnError: boolean;
  reportBatchItemFailures: boolean;
  /**
   * ParallelizationFactor (1-10, default 1): batches of one shard in flight at once. Each record
   * goes to the lane of its partition key, so one partition's changes stay in order, as Lambda
   * keeps them; here a batch read from the shard is split into its lanes, delivered concurrently,
   * and the checkpoint moves past it once every lane is done.
   */
  parallelizationFactor?: number;
  filters: Array<Record<string, never>>;
  checkpointFile: string;
  /** resolves the function's payload; throws when the function failed */
  invoke: (event: unknown) => Promise<unknown>;
  /** throws when the destination refused the batch (the batch is then tried again) */
  onFailure: (info: {
    error: string;
    attempts: number;
    condition: FailureCondition;
    lastError: unknown;
    shardId: string;
    records: Array<{ dynamodb: { SequenceNumber?: string; ApproximateCreationDateTime?: number } }>;
  }) => Promise<void>;
  log: (m: string) => void;
}

const IDLE_POLL_MS = 100;

/**
 * The wait after a GetRecords that found nothing. Each record's wait for the poller is part of the
 * latency of what follows it (an order's saga starts from its log's stream), so while records are
 * coming the poller looks again soon (10 ms, doubling to 50 ms); after a few quiet seconds it
 * drops to four polls a second, Lambda's own rate per shard, so an idle local cloud costs
 * DynamoDB Local little.
 */
export function idleDelayMs(emptyPolls: number, msSinceRecords: number): number {
  if (msSinceRecords > 5_000) return 250;
  return Math.min(50, 10 * 2 ** Math.max(0, emptyPolls - 1));
}

export class DynamoDbStreamMapping {
  private readonly client: DynamoDBStreamsClient;
  private stopped = false;
  private checkpoints: Record<string, string>;
  private readonly loops = new Map<string, Promise<void>>();
  private discovery?: Promise<void>;
  enabled = true;
  private readonly maxAgeMs: number;
  /** the table's partition key attribute (DescribeStream's KeySchema): the lanes of ParallelizationFactor */
  private partitionKey?: string;

  constructor(private readonly o: DynamoDbStreamMappingOptions) {
    this.client = new DynamoDBStreamsClient({
      endpoint: o.endpoint,
      region: o.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    this.checkpoints = existsSync(o.checkpointFile) ? (JSON.parse(readFileSync(o.checkpointFile, 'utf8')) as Record<string, string>) : {};
    this.maxAgeMs = o.maximumRecordAgeMs ?? -1;
  }

  start(): void {
    this.discovery = this.discover();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.discovery?.catch(() => {});
    await Promise.all([...this.loops.values()].map((l) => l.catch(() => {})));
    this.client.destroy();
  }

  /** Finds shards (new ones appear as DynamoDB Local rolls them) and reads each in its own loop. */
  private async discover(): Promise<void> {
    while (!this.stopped) {
      try {
        const shards: Shard[] = [];
        let last: string | undefined;
        do {
          const out = await this.client.send(new DescribeStreamCommand({ StreamArn: this.o.streamArn, ExclusiveStartShardId: last }));
          shards.push(...(out.StreamDescription?.Shards ?? []));
          this.partitionKey ??= out.StreamDescription?.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
          last = out.StreamDescription?.LastEvaluatedShardId;
        } while (last);
        for (const shard of shards) {
          const id = shard.ShardId!;
          if (this.loops.has(id) || this.checkpoints[`${id}#done`]) continue;
          const parent = shard.ParentShardId;
          // a child shard waits for its parent to be read to the end (order per key)
          if (parent && this.loops.has(parent)) continue;
          this.loops.set(id, this.readShard(id));
        }
      } catch (err) {
        if (!this.stopped) this.o.log(`stream mapping ${this.o.uuid}: ${(err as Error).message}`);
      }
      await sleep(1000);
    }
  }

  private async iterator(shardId: string): Promise<string | undefined> {
    const after = this.checkpoints[shardId];
    const out = await this.client.send(
      new GetShardIteratorCommand({
        StreamArn: this.o.streamArn,
        ShardId: shardId,
        ShardIteratorType: after ? 'AFTER_SEQUENCE_NUMBER' : this.o.startingPosition,
        SequenceNumber: after,
      }),
    );
    return out.ShardIterator;
  }

  /**
   * Reads one shard from its checkpoint to its end. Whatever fails (DynamoDB Local restarting, an
   * expired iterator, the function's on-failure sink) is logged and retried from the checkpoint
   * with backoff: a shard's loop ends only when the shard is read to its end or the mapping stops,
   * so its child shards never wait on a loop that died.
   */
  private async readShard(shardId: string): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        if ((await this.readFromCheckpoint(shardId)) === 'ended') {
          this.checkpoints[`${shardId}#done`] = '1';
          this.save();
          this.loops.delete(shardId);
          return;
        }
        failures = 0;
      } catch (err) {
        if (this.stopped) return;
        failures++;
        // A TRIM_HORIZON iterator taken before the shard's first record reads as trimmed on
        // DynamoDB Local; a fresh iterator is all it needs. Anything else is worth a line.
        if ((err as Error).name !== 'TrimmedDataAccessException') this.o.log(`stream mapping ${this.o.uuid} shard ${shardId}: ${(err as Error).message}`);
        await sleep(Math.min(5000, 100 * 2 ** Math.min(failures, 6)));
      }
    }
  }

  /** 'ended' once the shard is closed and read to its end; 'paused' when the mapping is disabled or stopping. */
  private async readFromCheckpoint(shardId: string): Promise<'ended' | 'paused'> {
    let iterator = await this.iterator(shardId);
    let emptyPolls = 0;
    let recordsAt = Date.now();
    while (!this.stopped && this.enabled) {
      if (!iterator) return 'ended';
      const out = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.o.batchSize }));
      let records = out.Records ?? [];
      let next = out.NextShardIterator;
      if (records.length) {
        emptyPolls = 0;
        recordsAt = Date.now();
        if (this.o.maximumBatchingWindowMs > 0 && records.length < this.o.batchSize && next) {
          ({ records, next } = await this.gather(records, next));
          if (this.stopped || !this.enabled) continue; // not delivered: read again from the checkpoint
        }
        await this.deliverLanes(shardId, records);
        if (this.stopped || !this.enabled) continue;
        // deliver() returns once every record of the batch is handled or given up on, so the
        // checkpoint is the batch's end and the next iterator reads on from there: no
        // GetShardIterator round trip per batch (a third of the poller's calls under a burst).
        this.advance(shardId, records[records.length - 1]!.dynamodb!.SequenceNumber!);
        iterator = next;
        continue;
      }
      if (!next) return 'ended';
      iterator = next;
      await sleep(idleDelayMs(++emptyPolls, Date.now() - recordsAt));
    }
    while (!this.stopped && !this.enabled) await sleep(IDLE_POLL_MS);
    return 'paused';
  }

  /**
   * MaximumBatchingWindowInSeconds: after a read that found fewer records than the batch size,
   * Lambda goes on gathering until the batch is full, the window (counted from that first read)
   * ends or the shard closes, and invokes once with all of it. Fewer, larger batches: each
   * invoke costs far more than the records in it.
   */
  private async gather(first: StreamRecord[], iterator: string): Promise<{ records: StreamRecord[]; next: string | undefined }> {
    const until = Date.now() + this.o.maximumBatchingWindowMs;
    const records = [...first];
    let next: string | undefined = iterator;
    // records that come during the window wait for its end anyway: a read every quarter of it
    // (at most 250 ms apart) is enough to see a batch fill up early
    const every = Math.min(250, Math.max(10, this.o.maximumBatchingWindowMs / 4));
    while (next && records.length < this.o.batchSize && !this.stopped && this.enabled) {
      const left = until - Date.now();
      if (left <= 0) break;
      await sleep(Math.min(left, every));
      const out: GetRecordsCommandOutput = await this.client.send(new GetRecordsCommand({ ShardIterator: next, Limit: this.o.batchSize - records.length }));
      records.push(...(out.Records ?? []));
      next = out.NextShardIterator;
    }
    return { records, next };
  }

  private toLambdaRecord(r: StreamRecord) {
    return toLambdaStreamRecord(r, this.o.region, this.o.streamArn);
  }

  /**
   * One batch read from the shard, split by partition key into at most ParallelizationFactor
   * lanes delivered at once (each lane's records in the shard's order). A lane's progress does not
   * move the checkpoint (the others may be behind it): the caller moves it past the whole batch.
   * Every lane is waited for before a failure is passed on, so that no lane is still invoking
   * when the batch is read again from the checkpoint.
   */
  private async deliverLanes(shardId: string, raw: StreamRecord[]): Promise<void> {
    const factor = Math.min(10, Math.max(1, Math.floor(this.o.parallelizationFactor ?? 1)));
    const key = this.partitionKey;
    if (factor === 1 || !key || raw.length === 1) return this.deliver(shardId, raw);
    const lanes = new Map<number, StreamRecord[]>();
    for (const r of raw) {
      const lane = laneOf(JSON.stringify(r.dynamodb?.Keys?.[key] ?? null), factor);
      const list = lanes.get(lane);
      if (list) list.push(r);
      else lanes.set(lane, [r]);
    }
    if (lanes.size === 1) return this.deliver(shardId, raw);
    const settled = await Promise.allSettled([...lanes.values()].map((lane) => this.deliver(shardId, lane, false)));
    const failed = settled.find((x): x is PromiseRejectedResult => x.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Delivers one batch until it is handled or given up on; moves the checkpoint (unless it is one lane of several). */
  private async deliver(shardId: string, raw: StreamRecord[], checkpoint = true): Promise<void> {
    const advance = checkpoint ? (seq: string) => this.advance(shardId, seq) : () => undefined;
    let pending = raw.map((r) => this.toLambdaRecord(r)).filter((r) => passesFilters(this.o.filters, r));
    if (!pending.length) {
      advance(raw[raw.length - 1]!.dynamodb!.SequenceNumber!);
      return;
    }
    let attempts = 0;
    let size = pending.length;
    let lastError: unknown;
    while (pending.length && !this.stopped) {
      const batch = pending.slice(0, size);
      let failedFrom: number | undefined;
      let error = '';
      let throttled = false;
      try {
        const payload = (await this.o.invoke({ Records: batch })) as { batchItemFailures?: Array<{ itemIdentifier?: string }> } | null;
        const failures = this.o.reportBatchItemFailures ? (payload?.batchItemFailures ?? []) : [];
        if (failures.length) {
          const ids = new Set(failures.map((f) => f.itemIdentifier));
          const idx = batch.findIndex((r) => ids.has(r.dynamodb.SequenceNumber));
          failedFrom = idx < 0 ? 0 : idx; // an unknown identifier fails the whole batch, as Lambda does
          error = 'function reported batch item failures';
        }
      } catch (err) {
        failedFrom = 0;
        error = (err as Error).message;
        lastError = err;
        throttled = isThrottle(err);
      }
      if (failedFrom === undefined) {
        advance(batch[batch.length - 1]!.dynamodb.SequenceNumber!);
        pending = pending.slice(batch.length);
        size = pending.length;
        attempts = 0;
        continue;
      }
      if (failedFrom > 0) {
        advance(batch[failedFrom - 1]!.dynamodb.SequenceNumber!);
        pending = pending.slice(failedFrom);
      }
      if (!throttled) attempts++;
      const oldest = pending[0]!.dynamodb.ApproximateCreationDateTime;
      const condition: FailureCondition | undefined =
        this.o.maximumRetryAttempts >= 0 && attempts > this.o.maximumRetryAttempts
          ? 'RetryAttemptsExhausted'
          : this.maxAgeMs >= 0 && oldest !== undefined && Date.now() - oldest * 1000 > this.maxAgeMs
            ? 'RecordAgeExceeded'
            : undefined;
      if (condition) {
        const given = pending.slice(0, Math.min(size, pending.length));
        await this.o.onFailure({ error, attempts, condition, lastError, shardId, records: given }); // throws: retried from the checkpoint
        advance(given[given.length - 1]!.dynamodb.SequenceNumber!);
        pending = pending.slice(given.length);
        size = pending.length;
        attempts = 0;
        continue;
      }
      if (!throttled && this.o.bisectBatchOnError && size > 1) size = Math.ceil(size / 2);
      await sleep(this.o.retryDelayMs ? this.o.retryDelayMs(attempts) : Math.min(2000, 50 * 2 ** attempts));
    }
  }

  private advance(shardId: string, sequenceNumber: string): void {
    if (this.checkpoints[shardId] === sequenceNumber) return;
    this.checkpoints[shardId] = sequenceNumber;
    this.save();
  }

  private save(): void {
    const tmp = `${this.o.checkpointFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.checkpoints));
    renameSync(tmp, this.o.checkpointFile);
  }
}

/** A DynamoDB Streams record as Lambda puts it in the event (also used by the redrive). */
export function toLambdaStreamRecord(r: StreamRecord, region: string, streamArn: string) {
  return {
    eventID: r.eventID,
    eventName: r.eventName,
    eventVersion: r.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: {
      ...r.dynamodb,
      ApproximateCreationDateTime: r.dynamodb?.ApproximateCreationDateTime ? Math.floor(new Date(r.dynamodb.ApproximateCreationDateTime).getTime() / 1000) : undefined,
    },
    eventSourceARN: streamArn,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A partition key's lane among `n` (FNV-1a over its JSON): the same key, the same lane. */
export function laneOf(keyJson: string, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < keyJson.length; i++) {
    h ^= keyJson.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % n;
}
