/**
 * One queue: its attributes and its messages, and the state machine a message goes through.
 *
 *   delayed --(DelaySeconds pass)--> visible --(ReceiveMessage)--> in flight --(DeleteMessage)--> gone
 *                                       ^------(visibility timeout passes)-----'
 *   visible, received maxReceiveCount times already --(next receive)--> the dead-letter queue
 *
 * State is derived from two fields, so that no timer has to fire for a message to change state:
 * `visibleAt` (ms; in the future = delayed or in flight) and `receiveCount` (0 = never received).
 *
 * Standard queues keep the ids of visible messages in a FIFO array (`ready`) and the ids of
 * delayed and in-flight ones in a min-heap by `visibleAt`; a receive first moves the due heap
 * entries to `ready`. Entries go stale when a message is deleted or its visibility changes and
 * are skipped when met. FIFO queues keep each message group's ids in order; a group whose
 * oldest messages are in flight yields nothing until they are deleted or become visible again.
 */
import { randomBytes } from 'node:crypto';
import { defaults, parseRedriveAllowPolicy, parseRedrivePolicy, type RedriveAllowPolicy, type RedrivePolicy } from './attributes';
import { TimeHeap } from './heap';
import type { AttributeValue } from './md5';

export interface Message {
  id: string;
  body: string;
  attrs?: Record<string, AttributeValue>;
  /** message system attributes sent by the producer (AWSTraceHeader) */
  sys?: Record<string, AttributeValue>;
  md5Body: string;
  md5Attrs?: string;
  md5Sys?: string;
  /** ms since the epoch */
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceiveAt?: number;
  /** the nonce of the latest receive; part of the receipt handle */
  handle?: string;
  groupId?: string;
  dedupId?: string;
  seq?: string;
  /** DeadLetterQueueSourceArn, once moved to a dead-letter queue */
  dlqSource?: string;
  senderId?: string;
}

export interface QueueState {
  name: string;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAt: number;
  modifiedAt: number;
}

export type Journal = (rec: Record<string, unknown>) => void;

interface Waiter {
  wake(): void;
}

const DEDUP_WINDOW_MS = 5 * 60_000;

export class Queue {
  readonly name: string;
  readonly arn: string;
  readonly fifo: boolean;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAt: number;
  modifiedAt: number;
  lastPurgeAt = 0;

  readonly messages = new Map<string, Message>();
  // standard queues
  private ready: string[] = [];
  private readyHead = 0;
  private readonly inReady = new Set<string>();
  private readonly timers = new TimeHeap();
  // FIFO queues
  private readonly groups = new Map<string, string[]>();
  readonly dedup = new Map<string, { id: string; seq?: string; exp: number }>();
  private readonly attempts = new Map<string, { ids: string[]; handles: string[]; exp: number }>();

  private readonly waiters = new Set<Waiter>();

  // parsed attributes, refreshed by setAttributes
  visibilityTimeout = 30;
  delaySeconds = 0;
  retentionMs = 345_600_000;
  waitTimeSeconds = 0;
  maxMessageSize = 1048576;
  contentBasedDedup = false;
  dedupByGroup = false;
  redrive?: RedrivePolicy;
  redriveAllow?: RedriveAllowPolicy;

  constructor(state: QueueState, arn: string) {
    this.name = state.name;
    this.arn = arn;
    this.fifo = state.name.endsWith('.fifo');
    this.attributes = { ...defaults(this.fifo), ...state.attributes };
    this.tags = { ...state.tags };
    this.createdAt = state.createdAt;
    this.modifiedAt = state.modifiedAt;
    this.refresh();
  }

  state(): QueueState {
    return { name: this.name, attributes: this.attributes, tags: this.tags, createdAt: this.createdAt, modifiedAt: this.modifiedAt };
  }

  setAttributes(attrs: Record<string, string>, now: number): void {
    for (const [k, v] of Object.entries(attrs)) {
      if ((k === 'RedrivePolicy' || k === 'RedriveAllowPolicy' || k === 'Policy') && v === '') delete this.attributes[k];
      else this.attributes[k] = v;
    }
    this.modifiedAt = now;
    this.refresh();
  }

  private refresh(): void {
    const a = this.attributes;
    this.visibilityTimeout = Number(a.VisibilityTimeout);
    this.delaySeconds = Number(a.DelaySeconds);
    this.retentionMs = Number(a.MessageRetentionPeriod) * 1000;
    this.waitTimeSeconds = Number(a.ReceiveMessageWaitTimeSeconds);
    this.maxMessageSize = Number(a.MaximumMessageSize);
    this.contentBasedDedup = a.ContentBasedDeduplication === 'true';
    this.dedupByGroup = a.DeduplicationScope === 'messageGroup';
    this.redrive = parseRedrivePolicy(a.RedrivePolicy);
    this.redriveAllow = parseRedriveAllowPolicy(a.RedriveAllowPolicy);
  }

  // ---- counts ---------------------------------------------------------------------------------

  counts(now: number): { visible: number; inFlight: number; delayed: number } {
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const m of this.messages.values()) {
      if (m.visibleAt <= now) visible++;
      else if (m.receiveCount > 0) inFlight++;
      else delayed++;
    }
    return { visible, inFlight, delayed };
  }

  isInFlight(m: Message, now: number): boolean {
    return m.receiveCount > 0 && m.handle !== undefined && m.visibleAt > now;
  }

  // ---- adding and removing --------------------------------------------------------------------

  /** Stores a message (a send, a replayed send, a move from another queue). */
  add(m: Message, now: number): void {
    this.messages.set(m.id, m);
    if (this.fifo) {
      const gid = m.groupId ?? '';
      let ids = this.groups.get(gid);
      if (!ids) this.groups.set(gid, (ids = []));
      ids.push(m.id);
    } else if (m.visibleAt <= now) this.pushReady(m.id);
    else this.timers.push(m.visibleAt, m.id);
    if (m.visibleAt <= now) this.wakeOne();
  }

  remove(id: string): Message | undefined {
    const m = this.messages.get(id);
    if (!m) return undefined;
    this.messages.delete(id);
    if (this.fifo) {
      const gid = m.groupId ?? '';
      const ids = this.groups.get(gid);
      if (ids) {
        const i = ids[0] === id ? 0 : ids.indexOf(id);
        if (i >= 0) ids.splice(i, 1);
        if (ids.length === 0) this.groups.delete(gid);
        else if (i === 0) this.wakeOne(); // the group's next message may be receivable now
      }
    }
    return m;
  }

  purge(): number {
    const n = this.messages.size;
    this.messages.clear();
    this.groups.clear();
    this.ready = [];
    this.readyHead = 0;
    this.inReady.clear();
    this.timers.clear();
    this.attempts.clear();
    return n;
  }

  /** Changes when a message becomes visible (ChangeMessageVisibility, replay). */
  setVisibleAt(m: Message, at: number, now: number): void {
    m.visibleAt = at;
    if (this.fifo) {
      if (at <= now) this.wakeOne();
      return;
    }
    if (at <= now) {
      this.pushReady(m.id);
      this.wakeOne();
    } else this.timers.push(at, m.id);
  }

  private pushReady(id: string): void {
    if (this.inReady.has(id)) return;
    this.inReady.add(id);
    this.ready.push(id);
  }

  // ---- FIFO deduplication -----------------------------------------------------------------------

  dedupKey(groupId: string | undefined, dedupId: string): string {
    return this.dedupByGroup ? `${groupId ?? ''}\u0000${dedupId}` : dedupId;
  }

  findDuplicate(key: string, now: number): { id: string; seq?: string } | undefined {
    const d = this.dedup.get(key);
    if (!d) return undefined;
    if (d.exp <= now) {
      this.dedup.delete(key);
      return undefined;
    }
    return d;
  }

  rememberDedup(key: string, id: string, seq: string | undefined, sentAt: number, now: number): void {
    const exp = sentAt + DEDUP_WINDOW_MS;
    if (exp <= now) return;
    this.dedup.set(key, { id, seq, exp });
    if (this.dedup.size > 2048 && this.dedup.size % 1024 === 0) for (const [k, d] of this.dedup) if (d.exp <= now) this.dedup.delete(k);
  }

  // ---- receiving --------------------------------------------------------------------------------

  /**
   * Takes up to `max` visible messages and makes them in flight for `visibilityMs`.
   * `onRedrive` is called (instead of receiving) for a message already received
   * maxReceiveCount times; it moves the message to the dead-letter queue and answers true, or
   * false when there is no dead-letter queue to move it to. Expired messages are dropped.
   */
  take(
    max: number,
    visibilityMs: number,
    now: number,
    journal: Journal,
    onRedrive: (m: Message) => boolean,
    attemptId?: string,
  ): Message[] {
    if (this.fifo && attemptId) {
      const previous = this.replayAttempt(attemptId, now);
      if (previous) return previous;
    }
    const out = this.fifo ? this.takeFifo(max, visibilityMs, now, journal, onRedrive) : this.takeStandard(max, visibilityMs, now, journal, onRedrive);
    if (this.fifo && attemptId) {
      this.attempts.set(attemptId, { ids: out.map((m) => m.id), handles: out.map((m) => m.handle!), exp: now + DEDUP_WINDOW_MS });
      if (this.attempts.size > 256) for (const [k, a] of this.attempts) if (a.exp <= now) this.attempts.delete(k);
    }
    return out;
  }

  /** The same messages and receipt handles as an earlier receive with this attempt id, while they stay in flight. */
  private replayAttempt(attemptId: string, now: number): Message[] | undefined {
    const a = this.attempts.get(attemptId);
    if (!a) return undefined;
    if (a.exp <= now) {
      this.attempts.delete(attemptId);
      return undefined;
    }
    const msgs: Message[] = [];
    for (let i = 0; i < a.ids.length; i++) {
      const m = this.messages.get(a.ids[i]!);
      if (!m || m.handle !== a.handles[i] || !this.isInFlight(m, now)) {
        this.attempts.delete(attemptId);
        return undefined;
      }
      msgs.push(m);
    }
    return msgs;
  }

  private expired(m: Message, now: number): boolean {
    return m.sentAt + this.retentionMs <= now;
  }

  private receive(m: Message, visibilityMs: number, now: number, journal: Journal): void {
    m.receiveCount++;
    m.firstReceiveAt ??= now;
    m.visibleAt = now + visibilityMs;
    m.handle = randomBytes(9).toString('base64url');
    if (!this.fifo) this.timers.push(m.visibleAt, m.id);
    journal({ t: 'r', q: this.name, i: m.id, v: m.visibleAt, c: m.receiveCount, f: m.firstReceiveAt, h: m.handle });
  }

  private takeStandard(max: number, visibilityMs: number, now: number, journal: Journal, onRedrive: (m: Message) => boolean): Message[] {
    for (let id = this.timers.popDue(now); id !== undefined; id = this.timers.popDue(now)) {
      const m = this.messages.get(id);
      if (m && m.visibleAt <= now) this.pushReady(id);
    }
    const out: Message[] = [];
    while (out.length < max && this.readyHead < this.ready.length) {
      const id = this.ready[this.readyHead++]!;
      this.inReady.delete(id);
      const m = this.messages.get(id);
      if (!m || m.visibleAt > now) continue;
      if (this.expired(m, now)) {
        this.remove(id);
        journal({ t: 'd', q: this.name, i: id });
        continue;
      }
      if (this.redrive && m.receiveCount >= this.redrive.maxReceiveCount && onRedrive(m)) continue;
      this.receive(m, visibilityMs, now, journal);
      out.push(m);
    }
    if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.readyHead);
      this.readyHead = 0;
    }
    return out;
  }

  private takeFifo(max: number, visibilityMs: number, now: number, journal: Journal, onRedrive: (m: Message) => boolean): Message[] {
    const out: Message[] = [];
    const drop: Message[] = [];
    for (const ids of this.groups.values()) {
      if (out.length >= max) break;
      // a group with a message in flight is locked until it is deleted or visible again
      let locked = false;
      for (const id of ids) {
        const m = this.messages.get(id)!;
        if (m.receiveCount === 0) break;
        if (this.isInFlight(m, now)) {
          locked = true;
          break;
        }
      }
      if (locked) continue;
      for (const id of ids) {
        if (out.length >= max) break;
        const m = this.messages.get(id)!;
        if (m.visibleAt > now) break; // delayed: the rest of the group waits behind it
        if (this.expired(m, now)) {
          drop.push(m);
          continue;
        }
        if (this.redrive && m.receiveCount >= this.redrive.maxReceiveCount) {
          drop.push(m); // moved below, after the iteration over this group's ids
          continue;
        }
        this.receive(m, visibilityMs, now, journal);
        out.push(m);
      }
    }
    for (const m of drop) {
      if (this.expired(m, now)) {
        this.remove(m.id);
        journal({ t: 'd', q: this.name, i: m.id });
      } else if (!onRedrive(m)) {
        // no dead-letter queue to move it to: it stays and is received as usual next time
      }
    }
    return out;
  }

  /** How many long polls are waiting on this queue right now. */
  get waitingReceivers(): number {
    return this.waiters.size;
  }

  /** When the next delayed or in-flight message becomes visible (standard queues), for waiters. */
  nextVisibleAt(now: number): number | undefined {
    if (!this.fifo) {
      const t = this.timers.peek();
      return t !== undefined && t > now ? t : t;
    }
    let next: number | undefined;
    for (const ids of this.groups.values()) {
      for (const id of ids) {
        const m = this.messages.get(id)!;
        if (m.visibleAt > now && (next === undefined || m.visibleAt < next)) next = m.visibleAt;
        if (m.receiveCount === 0) break;
      }
    }
    return next;
  }

  // ---- retention --------------------------------------------------------------------------------

  /** Drops messages past the retention period; returns how many. */
  sweep(now: number, journal: Journal): number {
    let n = 0;
    for (const m of this.messages.values()) {
      if (this.expired(m, now)) {
        this.remove(m.id);
        journal({ t: 'd', q: this.name, i: m.id });
        n++;
      }
    }
    return n;
  }

  // ---- long polling -------------------------------------------------------------------------------

  addWaiter(w: Waiter): () => void {
    this.waiters.add(w);
    return () => this.waiters.delete(w);
  }

  /** Wakes waiting receivers: one per new visible message is enough, but all are cheap. */
  wakeOne(): void {
    if (this.waiters.size === 0) return;
    const first = this.waiters.values().next().value as Waiter;
    this.waiters.delete(first);
    first.wake();
  }

  wakeAll(): void {
    const all = [...this.waiters];
    this.waiters.clear();
    for (const w of all) w.wake();
  }
}
