/**
 * The log of one topic partition: a directory `<dataDir>/<topic>-<partition>/` of segments
 * (segment.ts). Appends are queued and written in order, coalescing whatever queued up
 * while the previous write was in flight into one writev; offsets are assigned when a batch
 * is queued, and become visible to Fetch (the high watermark advances) once written.
 *
 * Recently written batches are also kept in a small in-memory tail cache, so consumers that
 * keep up are served from memory without a file read; older data is read from the segments.
 */
import fs from 'node:fs';
import { BrokerClosedError, ErrorCode, KafkaProtocolError } from '../errors';
import { type BatchInfo, decodeRecords, readInt64, writeInt64 } from '../protocol/records';
import { ProducerStateTable } from './producer-state';
import { type BatchRef, Segment } from './segment';

export interface PartitionLogOptions {
  segmentBytes: number;
  /** The previous run did not close cleanly: rebuild the active segments' indexes. */
  uncleanShutdown: boolean;
  tailCacheBytes: number;
  log: (m: string) => void;
}

interface PendingAppend {
  refs: BatchRef[];
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class PartitionLog {
  /** Next offset to assign. */
  logEndOffset: number;
  /** Offsets below this are written and visible to consumers. */
  highWatermark: number;
  private readonly segments: Segment[];
  private pending: PendingAppend[] = [];
  private flushing: Promise<void> | null = null;
  private failed: Error | null = null;
  private closed = false;
  private readonly cache: BatchRef[] = [];
  private cacheBytes = 0;
  private readonly waiters = new Set<() => void>();
  private readonly producers = new ProducerStateTable();

  private constructor(
    readonly dir: string,
    readonly topic: string,
    readonly partition: number,
    segments: Segment[],
    private readonly opts: PartitionLogOptions,
  ) {
    this.segments = segments;
    this.logEndOffset = this.highWatermark = segments[segments.length - 1].nextOffset;
  }

  /** Opens (recovering) or creates the partition directory. Runs once, at startup or topic creation. */
  static open(dir: string, topic: string, partition: number, opts: PartitionLogOptions): PartitionLog {
    fs.mkdirSync(dir, { recursive: true });
    const bases = fs
      .readdirSync(dir)
      .filter((f) => /^\d+\.log$/.test(f))
      .map((f) => Number(f.slice(0, -4)))
      .sort((a, b) => a - b);
    const segments = bases.length
      ? bases.map((b, i) => {
          const active = i === bases.length - 1;
          return Segment.open(dir, b, active, active && opts.uncleanShutdown, opts.log);
        })
      : [Segment.create(dir, 0)];
    // A segment emptied by recovery whose successor exists cannot happen (older ones are
    // complete), but make offsets continuous anyway: each segment ends where the next begins.
    for (let i = 0; i + 1 < segments.length; i++) segments[i].nextOffset = segments[i + 1].baseOffset;
    return new PartitionLog(dir, topic, partition, segments, opts);
  }

  get logStartOffset(): number {
    return this.segments[0].baseOffset;
  }

  /**
   * Assigns offsets to validated batches (slices of `records`) and queues them for writing.
   * Resolves with the base offset once they reached the OS. Retried idempotent batches
   * resolve with their original offset and are not written again.
   */
  append(records: Buffer, batches: readonly BatchInfo[]): Promise<number> {
    if (this.closed) return Promise.reject(new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'partition deleted'));
    if (this.failed) return Promise.reject(this.failed);
    // Sequence checks first, so a refused batch leaves no trace.
    const decisions = batches.map((b) =>
      b.producerId >= 0 ? this.producers.check(b.producerId, b.producerEpoch, b.baseSequence, b.recordsCount) : { append: true as const },
    );
    const refs: BatchRef[] = [];
    let firstBase = -1;
    batches.forEach((b, i) => {
      const d = decisions[i];
      if ('duplicateOf' in d) {
        if (firstBase < 0) firstBase = d.duplicateOf;
        return;
      }
      const buf = records.subarray(b.position, b.position + b.size);
      const base = this.logEndOffset;
      writeInt64(buf, 0, base);
      buf.writeInt32BE(0, 12); // partitionLeaderEpoch: one leader, epoch 0
      this.logEndOffset = base + b.lastOffsetDelta + 1;
      if (b.producerId >= 0) this.producers.record(b.producerId, b.producerEpoch, b.baseSequence, b.recordsCount, base);
      refs.push({ buf, baseOffset: base, lastOffset: this.logEndOffset - 1 });
      if (firstBase < 0) firstBase = base;
    });
    if (refs.length === 0) return this.visible(firstBase).then(() => firstBase);
    return new Promise<number>((resolve, reject) => {
      this.pending.push({ refs, resolve: () => resolve(firstBase), reject });
      if (!this.flushing) this.flushing = this.flushLoop();
    });
  }

  /** Resolves once `offset` is below the high watermark (for duplicates of queued batches). */
  private async visible(offset: number): Promise<void> {
    while (this.highWatermark <= offset) {
      if (this.closed) throw new BrokerClosedError();
      await new Promise<void>((res) => {
        const off = this.onAppend(() => {
          off();
          res();
        });
      });
    }
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const work = this.pending;
        this.pending = [];
        const refs = work.length === 1 ? work[0].refs : work.flatMap((w) => w.refs);
        try {
          await this.write(refs);
        } catch (err) {
          this.failed = new KafkaProtocolError(ErrorCode.UNKNOWN_SERVER_ERROR, `write to ${this.dir} failed: ${(err as Error).message}`);
          this.opts.log(this.failed.message);
          for (const w of work) w.reject(this.failed);
          for (const w of this.pending.splice(0)) w.reject(this.failed);
          return;
        }
        this.highWatermark = refs[refs.length - 1].lastOffset + 1;
        this.addToCache(refs);
        for (const w of work) w.resolve();
        for (const wake of [...this.waiters]) wake();
      }
    } finally {
      this.flushing = null;
    }
  }

  private async write(refs: readonly BatchRef[]): Promise<void> {
    let group: BatchRef[] = [];
    let groupBytes = 0;
    for (const r of refs) {
      const active = this.segments[this.segments.length - 1];
      const used = active.size + groupBytes;
      if (used > 0 && used + r.buf.length > this.opts.segmentBytes) {
        if (group.length) await active.append(group);
        group = [];
        groupBytes = 0;
        await active.flush();
        this.segments.push(Segment.create(this.dir, r.baseOffset));
      }
      group.push(r);
      groupBytes += r.buf.length;
    }
    if (group.length) await this.segments[this.segments.length - 1].append(group);
  }

  private addToCache(refs: readonly BatchRef[]): void {
    for (const r of refs) {
      // A batch is a slice of its request frame; copy small slices of large frames so the cache
      // never pins much more memory than it accounts for.
      if (r.buf.buffer.byteLength > 2 * r.buf.length + 4096) r.buf = Buffer.from(r.buf);
      this.cache.push(r);
      this.cacheBytes += r.buf.length;
    }
    while (this.cache.length > 1 && this.cacheBytes > this.opts.tailCacheBytes) {
      this.cacheBytes -= this.cache.shift()!.buf.length;
    }
  }

  /** Registers a callback run after each write makes new data visible; returns the unsubscriber. */
  onAppend(fn: () => void): () => void {
    this.waiters.add(fn);
    return () => this.waiters.delete(fn);
  }

  /**
   * Whole stored batches from the one holding `offset`, up to `maxBytes` (the first batch is
   * always returned whole). Callers check the offset against logStartOffset/highWatermark.
   */
  async read(offset: number, maxBytes: number): Promise<Buffer[]> {
    if (offset >= this.highWatermark || this.closed) return [];
    const c = this.cache;
    if (c.length > 0 && offset >= c[0].baseOffset) {
      // Binary search: the first cached batch whose last offset is >= offset.
      let lo = 0;
      let hi = c.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (c[mid].lastOffset >= offset) hi = mid;
        else lo = mid + 1;
      }
      const i = lo;
      const out = [c[i].buf];
      let bytes = c[i].buf.length;
      for (let j = i + 1; j < c.length && bytes + c[j].buf.length <= maxBytes; j++) {
        out.push(c[j].buf);
        bytes += c[j].buf.length;
      }
      return out;
    }
    let s = this.segments.length - 1;
    while (s > 0 && this.segments[s].baseOffset > offset) s--;
    return this.segments[s].readFrom(offset, maxBytes);
  }

  /** First offset whose record timestamp is >= `timestamp` (ListOffsets by time), or -1. */
  async offsetForTimestamp(timestamp: number): Promise<{ offset: number; timestamp: number }> {
    for (const seg of this.segments) {
      for await (const { buf } of seg.batches()) {
        if (readInt64(buf, 35) < timestamp) continue;
        for (const rec of decodeRecords(buf)) {
          if (rec.timestamp >= timestamp) return { offset: rec.offset, timestamp: rec.timestamp };
        }
      }
    }
    return { offset: -1, timestamp: -1 };
  }

  /** Waits for queued writes, fsyncs and closes the segments. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.flushing) await this.flushing;
    this.closed = true;
    for (const wake of [...this.waiters]) wake();
    await Promise.all(this.segments.map((s) => s.close(true)));
  }
}
