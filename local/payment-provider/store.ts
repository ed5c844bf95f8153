/**
 * The simulator's charges and refunds, with the idempotency keys they were made under, kept in
 * an append-only journal (local/aws-shared/journal.ts) in the data folder: every change is one
 * line written before the answer, replayed and compacted at start-up.
 */
import path from 'node:path';
import { Journal } from '../aws-shared/journal';

export interface Charge {
  object: 'charge';
  id: string;
  idempotency_key: string;
  amount: number;
  currency: string;
  status: 'succeeded' | 'failed';
  failure_code?: string;
  failure_message?: string;
  amount_refunded: number;
  refunded: boolean;
  card: { brand: string; last4: string };
  description?: string;
  metadata?: Record<string, string>;
  /** a fingerprint of the request, so that a key reused with other parameters is refused */
  request_hash: string;
  created: string;
}

export interface Refund {
  object: 'refund';
  id: string;
  idempotency_key: string;
  charge: string;
  amount: number;
  currency: string;
  reason?: string;
  status: 'succeeded';
  request_hash: string;
  created: string;
}

export class ProviderStore {
  readonly charges = new Map<string, Charge>();
  readonly refunds = new Map<string, Refund>();
  readonly chargeByKey = new Map<string, string>();
  readonly refundByKey = new Map<string, string>();
  private readonly journal: Journal;

  constructor(dataDir: string, log: (m: string) => void) {
    this.journal = new Journal(path.join(dataDir, 'provider.journal'));
    const stats = this.journal.replay((r) => this.apply(r));
    if (stats.skipped || stats.tornTail) log(`payment-provider: journal recovered (${stats.skipped} bad lines skipped${stats.tornTail ? ', torn tail dropped' : ''})`);
    this.journal.compact(this.snapshot());
  }

  putCharge(c: Charge): void {
    this.setCharge(c);
    this.write({ t: 'ch', v: c });
  }

  putRefund(r: Refund): void {
    this.setRefund(r);
    this.write({ t: 're', v: r });
  }

  close(): void {
    this.journal.close();
  }

  private write(rec: object): void {
    this.journal.append(rec);
    this.journal.flush();
    if (this.journal.shouldCompact()) this.journal.compact(this.snapshot());
  }

  private setCharge(c: Charge): void {
    this.charges.set(c.id, c);
    this.chargeByKey.set(c.idempotency_key, c.id);
  }

  private setRefund(r: Refund): void {
    this.refunds.set(r.id, r);
    this.refundByKey.set(r.idempotency_key, r.id);
  }

  private apply(r: Record<string, unknown>): void {
    if (r.t === 'ch') this.setCharge(r.v as Charge);
    else if (r.t === 're') this.setRefund(r.v as Refund);
  }

  private *snapshot(): Generator<object> {
    for (const v of this.charges.values()) yield { t: 'ch', v };
    for (const v of this.refunds.values()) yield { t: 're', v };
  }
}
