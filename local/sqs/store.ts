/**
 * The emulator's state: queues by name, the journal that makes them durable, and the mapping
 * between queue URLs, ARNs and names.
 *
 * Journal records (one JSON line each; `q` is the queue name):
 *   {t:'q', s: QueueState}            queue created or its attributes/tags changed
 *   {t:'qd', q}                       queue deleted
 *   {t:'s', q, m: Message}            message stored (send, move to a dead-letter queue, redrive)
 *   {t:'r', q, i, v, c, f, h}         message received: visibleAt, receiveCount, firstReceiveAt, handle
 *   {t:'v', q, i, v}                  visibility changed
 *   {t:'d', q, i}                     message deleted (or expired, or moved away)
 *   {t:'p', q, at}                    queue purged
 *   {t:'dd', q, k, i, n, x}           a FIFO deduplication entry (snapshots only)
 *   {t:'seq', n}                      the FIFO sequence counter (snapshots only)
 *   {t:'task', task}                  a message move task's state
 * At start-up the journal is replayed and then compacted into a snapshot of the live state.
 * In-flight messages keep their `visibleAt`, so they become visible again when their
 * visibility timeout ends, counted from the receive before the restart.
 */
import path from 'node:path';
import { Journal } from '../aws-shared/journal';
import { queueDoesNotExist } from './errors';
import { type Message, Queue, type QueueState } from './queue';

export interface MoveTask {
  taskHandle: string;
  sourceArn: string;
  destinationArn?: string;
  maxPerSecond?: number;
  status: 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';
  moved: number;
  toMove: number;
  startedAt: number;
  failureReason?: string;
}

export interface StoreOptions {
  dataDir: string;
  region: string;
  accountId: string;
  clock: () => number;
  edgeUrl: () => string;
  log: (m: string) => void;
}

export class SqsStore {
  readonly queues = new Map<string, Queue>();
  readonly tasks: MoveTask[] = [];
  private readonly journal: Journal;
  private seq = 0n;
  private compacting = false;
  closed = false;

  constructor(readonly opts: StoreOptions) {
    this.journal = new Journal(path.join(opts.dataDir, 'sqs.journal'));
    const stats = this.journal.replay((rec) => this.apply(rec));
    if (stats.tornTail || stats.skipped) opts.log(`sqs: journal recovered (${stats.skipped} bad lines skipped${stats.tornTail ? ', torn tail dropped' : ''})`);
    this.compact();
  }

  now(): number {
    return this.opts.clock();
  }

  record = (rec: Record<string, unknown>): void => {
    this.journal.append(rec);
  };

  /** Makes the buffered journal records durable (before an answer goes out). */
  flush(): void {
    this.journal.flush();
    if (!this.compacting && this.journal.shouldCompact()) this.compact();
  }

  close(): void {
    this.closed = true;
    for (const q of this.queues.values()) q.wakeAll();
    this.journal.close();
  }

  // ---- names, URLs and ARNs ---------------------------------------------------------------------

  arnOf(name: string): string {
    return `arn:aws:sqs:${this.opts.region}:${this.opts.accountId}:${name}`;
  }

  urlOf(name: string): string {
    return `${this.opts.edgeUrl().replace(/\/+$/, '')}/${this.opts.accountId}/${name}`;
  }

  /**
   * The queue a QueueUrl names. Any host is accepted (the edge URL, `sqs.<region>.localhost`,
   * LocalStack's `sqs.<region>.localhost.localstack.cloud:4566`, `queue.amazonaws.com`): the
   * path's last two segments are the account and the name. An ARN or a bare name works too.
   */
  nameFromUrl(queueUrl: string): string | undefined {
    if (queueUrl.startsWith('arn:')) return this.nameFromArn(queueUrl);
    if (!queueUrl.includes('/')) return queueUrl;
    let p: string;
    try {
      p = new URL(queueUrl, 'http://local').pathname;
    } catch {
      return undefined;
    }
    const parts = p.split('/').filter(Boolean);
    if (parts.length < 2) return undefined;
    const account = parts[parts.length - 2]!;
    if (/^\d{12}$/.test(account) && account !== this.opts.accountId) return undefined;
    return decodeURIComponent(parts[parts.length - 1]!);
  }

  nameFromArn(arn: string): string | undefined {
    const parts = arn.split(':');
    if (parts.length !== 6 || parts[2] !== 'sqs') return undefined;
    if (parts[4] !== this.opts.accountId) return undefined;
    return parts[5];
  }

  byUrl(queueUrl: string): Queue {
    const name = this.nameFromUrl(queueUrl);
    const q = name === undefined ? undefined : this.queues.get(name);
    if (!q) throw queueDoesNotExist();
    return q;
  }

  byArn(arn: string): Queue | undefined {
    const name = this.nameFromArn(arn);
    return name === undefined ? undefined : this.queues.get(name);
  }

  /** A queue by ARN, URL or name (the in-process helpers accept any). */
  resolve(ref: string): Queue {
    const q = ref.startsWith('arn:') ? this.byArn(ref) : this.queues.get(this.nameFromUrl(ref) ?? '');
    if (!q) throw queueDoesNotExist();
    return q;
  }

  // ---- queues -----------------------------------------------------------------------------------

  createQueue(state: QueueState): Queue {
    const q = new Queue(state, this.arnOf(state.name));
    this.queues.set(state.name, q);
    this.record({ t: 'q', s: q.state() });
    return q;
  }

  saveQueue(q: Queue): void {
    this.record({ t: 'q', s: q.state() });
  }

  deleteQueue(q: Queue): void {
    q.wakeAll();
    this.queues.delete(q.name);
    this.record({ t: 'qd', q: q.name });
  }

  nextSequenceNumber(): string {
    this.seq += 1n;
    return (10_000_000_000_000_000_000n + this.seq).toString();
  }

  // ---- dead-letter queues -----------------------------------------------------------------------

  /** Moves a message that was received too often to its queue's dead-letter queue. */
  moveToDeadLetterQueue(from: Queue, m: Message): boolean {
    const dlq = from.redrive ? this.byArn(from.redrive.deadLetterTargetArn) : undefined;
    if (!dlq) return false;
    const now = this.now();
    from.remove(m.id);
    this.record({ t: 'd', q: from.name, i: m.id });
    const moved: Message = { ...m, visibleAt: now, handle: undefined, dlqSource: from.arn };
    dlq.add(moved, now);
    this.record({ t: 's', q: dlq.name, m: moved });
    return true;
  }

  // ---- replay and compaction ----------------------------------------------------------------------

  private apply(rec: Record<string, unknown>): void {
    const now = this.now();
    const q = typeof rec.q === 'string' ? this.queues.get(rec.q) : undefined;
    switch (rec.t) {
      case 'q': {
        const s = rec.s as QueueState;
        const existing = this.queues.get(s.name);
        if (existing) {
          existing.attributes = s.attributes;
          existing.tags = s.tags;
          existing.setAttributes({}, s.modifiedAt);
        } else this.queues.set(s.name, new Queue(s, this.arnOf(s.name)));
        break;
      }
      case 'qd':
        if (q) this.queues.delete(q.name);
        break;
      case 's': {
        if (!q) break;
        const m = rec.m as Message;
        q.add(m, now);
        if (m.seq && BigInt(m.seq) - 10_000_000_000_000_000_000n > this.seq) this.seq = BigInt(m.seq) - 10_000_000_000_000_000_000n;
        if (q.fifo && m.dedupId) q.rememberDedup(q.dedupKey(m.groupId, m.dedupId), m.id, m.seq, m.sentAt, now);
        break;
      }
      case 'r': {
        const m = q?.messages.get(rec.i as string);
        if (!q || !m) break;
        m.receiveCount = rec.c as number;
        m.firstReceiveAt = rec.f as number;
        m.handle = rec.h as string;
        q.setVisibleAt(m, rec.v as number, now);
        break;
      }
      case 'v': {
        const m = q?.messages.get(rec.i as string);
        if (q && m) q.setVisibleAt(m, rec.v as number, now);
        break;
      }
      case 'd':
        q?.remove(rec.i as string);
        break;
      case 'p':
        if (q) {
          q.purge();
          q.lastPurgeAt = rec.at as number;
        }
        break;
      case 'dd':
        if (q) q.dedup.set(rec.k as string, { id: rec.i as string, seq: rec.n as string | undefined, exp: rec.x as number });
        break;
      case 'seq':
        if (BigInt(rec.n as string) > this.seq) this.seq = BigInt(rec.n as string);
        break;
      case 'task': {
        const task = rec.task as MoveTask;
        const i = this.tasks.findIndex((t) => t.taskHandle === task.taskHandle);
        if (i >= 0) this.tasks[i] = task;
        else this.tasks.push(task);
        break;
      }
    }
  }

  /** Rewrites the journal as the live state. */
  compact(): void {
    this.compacting = true;
    try {
      this.journal.compact(this.snapshot(this.now()));
    } finally {
      this.compacting = false;
    }
  }

  private *snapshot(now: number): Generator<object> {
    yield { t: 'seq', n: this.seq.toString() };
    for (const q of this.queues.values()) {
      yield { t: 'q', s: q.state() };
      if (q.lastPurgeAt) yield { t: 'p', q: q.name, at: q.lastPurgeAt };
      for (const m of q.messages.values()) yield { t: 's', q: q.name, m };
      for (const [k, d] of q.dedup) if (d.exp > now) yield { t: 'dd', q: q.name, k, i: d.id, n: d.seq, x: d.exp };
    }
    for (const task of this.tasks.slice(-100)) yield { t: 'task', task };
  }
}
