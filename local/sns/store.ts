/**
 * The local SNS's state and its journal (aws-shared/journal.ts), compacted at start-up.
 *
 * Journal records: {t:'topic'|'sub'|'app'|'ep', v} put; {t:'topicd'|'subd'|'appd'|'epd', arn}
 * deleted; {t:'smsattr', v} the SMS attributes; {t:'optout', n, out}; {t:'sms'|'push'|'email', v}
 * a delivery kept for inspection; {t:'smsclear', phone?}, {t:'pushclear', arn?},
 * {t:'emailclear'} the inspection endpoints' DELETEs; {t:'seq', n} the FIFO sequence counter.
 */
import path from 'node:path';
import { Journal } from '../aws-shared/journal';
import type { EmailRecord, PlatformApplication, PlatformEndpoint, PushRecord, SmsRecord, Subscription, Topic } from './model';

const SEQ_BASE = 10_000_000_000_000_000_000n;

export class SnsStore {
  readonly topics = new Map<string, Topic>();
  readonly subscriptions = new Map<string, Subscription>();
  readonly applications = new Map<string, PlatformApplication>();
  readonly endpoints = new Map<string, PlatformEndpoint>();
  smsAttributes: Record<string, string> = {};
  readonly optedOut = new Set<string>();
  sms: SmsRecord[] = [];
  push: PushRecord[] = [];
  email: EmailRecord[] = [];
  private seq = 0n;
  private readonly journal: Journal;

  constructor(
    dataDir: string,
    private readonly maxKept: number,
    log: (m: string) => void,
  ) {
    this.journal = new Journal(path.join(dataDir, 'sns.journal'));
    const stats = this.journal.replay((r) => this.apply(r));
    if (stats.tornTail || stats.skipped) log(`sns: journal recovered (${stats.skipped} bad lines skipped${stats.tornTail ? ', torn tail dropped' : ''})`);
    this.journal.compact(this.snapshot());
  }

  record(rec: Record<string, unknown>): void {
    this.apply(rec);
    this.journal.append(rec);
  }

  flush(): void {
    this.journal.flush();
    if (this.journal.shouldCompact()) this.journal.compact(this.snapshot());
  }

  close(): void {
    this.journal.close();
  }

  nextSequenceNumber(): string {
    this.seq += 1n;
    this.journal.append({ t: 'seq', n: this.seq.toString() });
    return (SEQ_BASE + this.seq).toString();
  }

  subscriptionsOf(topicArn: string): Subscription[] {
    return [...this.subscriptions.values()].filter((s) => s.topicArn === topicArn);
  }

  /** Appends; past the cap the oldest go, a tenth at a time so that trimming stays cheap. */
  private keep<T>(list: T[], v: T): T[] {
    list.push(v);
    return list.length > this.maxKept + Math.ceil(this.maxKept / 10) ? list.slice(list.length - this.maxKept) : list;
  }

  private apply(r: Record<string, unknown>): void {
    switch (r.t) {
      case 'topic':
        this.topics.set((r.v as Topic).arn, r.v as Topic);
        break;
      case 'topicd':
        this.topics.delete(r.arn as string);
        break;
      case 'sub':
        this.subscriptions.set((r.v as Subscription).arn, r.v as Subscription);
        break;
      case 'subd':
        this.subscriptions.delete(r.arn as string);
        break;
      case 'app':
        this.applications.set((r.v as PlatformApplication).arn, r.v as PlatformApplication);
        break;
      case 'appd':
        this.applications.delete(r.arn as string);
        break;
      case 'ep':
        this.endpoints.set((r.v as PlatformEndpoint).arn, r.v as PlatformEndpoint);
        break;
      case 'epd':
        this.endpoints.delete(r.arn as string);
        break;
      case 'smsattr':
        this.smsAttributes = r.v as Record<string, string>;
        break;
      case 'optout':
        if (r.out) this.optedOut.add(r.n as string);
        else this.optedOut.delete(r.n as string);
        break;
      case 'sms':
        this.sms = this.keep(this.sms, r.v as SmsRecord);
        break;
      case 'push':
        this.push = this.keep(this.push, r.v as PushRecord);
        break;
      case 'email':
        this.email = this.keep(this.email, r.v as EmailRecord);
        break;
      case 'smsclear':
        this.sms = r.phone ? this.sms.filter((m) => m.PhoneNumber !== r.phone) : [];
        break;
      case 'pushclear':
        this.push = r.arn ? this.push.filter((m) => m.TargetArn !== r.arn) : [];
        break;
      case 'emailclear':
        this.email = [];
        break;
      case 'seq':
        if (BigInt(r.n as string) > this.seq) this.seq = BigInt(r.n as string);
        break;
    }
  }

  private *snapshot(): Generator<object> {
    yield { t: 'seq', n: this.seq.toString() };
    yield { t: 'smsattr', v: this.smsAttributes };
    for (const n of this.optedOut) yield { t: 'optout', n, out: true };
    for (const v of this.topics.values()) yield { t: 'topic', v };
    for (const v of this.subscriptions.values()) yield { t: 'sub', v };
    for (const v of this.applications.values()) yield { t: 'app', v };
    for (const v of this.endpoints.values()) yield { t: 'ep', v };
    for (const v of this.sms) yield { t: 'sms', v };
    for (const v of this.push) yield { t: 'push', v };
    for (const v of this.email) yield { t: 'email', v };
  }
}
