/**
 * The index of Standard executions: `<dataDir>/executions.log`, JSON lines that upsert ("put") or drop
 * ("del") an execution's summary. It is read once at start-up (one file, whatever the number of
 * executions) and compacted in the background when superseded lines dominate. A running execution's
 * history is in the write-ahead log (wal.ts), an ended one's in the archive (archive.ts, at `h`).
 *
 * Retention: closed executions are kept 90 days (as AWS keeps them) or until more than `maxClosed`
 * closed executions exist, whichever comes first; the oldest go first. Clean-up runs in small batches in
 * the background, never in the start-up path.
 */
import fs from 'node:fs';
import type { Archive, ArchiveRef } from './archive';
import { join, readJsonLines, writeAtomic } from './files';
import type { Flusher } from './flusher';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export interface ExecSummary {
  arn: string;
  smArn: string;
  smName: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  redriveCount: number;
  redriveDate?: number;
  defHash: string;
  roleArn: string;
  traceHeader: string;
  error?: string | null;
  cause?: string | null;
  /** where the archive keeps its history, once it has ended */
  h?: ArchiveRef;
}

type Line = ({ o: 'put' } & ExecSummary) | { o: 'del'; arn: string };

export const NINETY_DAYS_MS = 90 * 24 * 3600 * 1000;

export class ExecutionIndex {
  private readonly byArn = new Map<string, ExecSummary>();
  private readonly bySm = new Map<string, ExecSummary[]>();
  readonly rank = 2;
  private readonly file: string;
  private fd: number | null = null;
  private pending: string[] = [];
  private lines = 0;
  private cleaning = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly dataDir: string,
    private readonly opts: { maxClosed: number; retentionMs: number; now: () => number; log?: (m: string) => void; flusher: Flusher; archive: Archive },
  ) {
    this.file = join(dataDir, 'executions.log');
    const lines = readJsonLines<Line>(this.file);
    this.lines = lines.length;
    for (const l of lines) {
      if (l.o === 'del') this.byArn.delete(l.arn);
      else {
        const { o: _o, ...s } = l;
        this.byArn.set(s.arn, s);
      }
    }
    const all = [...this.byArn.values()].sort((a, b) => a.startDate - b.startDate);
    for (const s of all) {
      this.listOf(s.smArn).push(s);
      if (s.h) opts.archive.reference(s.h);
    }
  }

  private listOf(smArn: string): ExecSummary[] {
    let l = this.bySm.get(smArn);
    if (!l) this.bySm.set(smArn, (l = []));
    return l;
  }

  get(arn: string): ExecSummary | undefined {
    return this.byArn.get(arn);
  }

  /** Executions of a state machine, oldest first. */
  ofStateMachine(smArn: string): readonly ExecSummary[] {
    return this.bySm.get(smArn) ?? [];
  }

  running(): ExecSummary[] {
    return [...this.byArn.values()].filter((s) => s.status === 'RUNNING');
  }

  add(s: ExecSummary): void {
    this.byArn.set(s.arn, s);
    this.listOf(s.smArn).push(s);
    this.write({ o: 'put', ...s });
  }

  update(s: ExecSummary): void {
    this.write({ o: 'put', ...s });
    if (s.status !== 'RUNNING') this.maybeClean();
  }

  /** Forgets an execution and its archived history. */
  drop(s: ExecSummary): void {
    this.byArn.delete(s.arn);
    const l = this.bySm.get(s.smArn);
    if (l) {
      const i = l.indexOf(s);
      if (i >= 0) l.splice(i, 1);
      if (!l.length) this.bySm.delete(s.smArn);
    }
    this.write({ o: 'del', arn: s.arn });
    if (s.h) {
      const h = s.h;
      this.opts.flusher.afterCommit(() => this.opts.archive.drop(h));
    }
  }

  private write(l: Line): void {
    if (!this.pending.length) this.opts.flusher.mark(this);
    this.pending.push(JSON.stringify(l));
    this.lines++;
  }

  flush(): void {
    if (!this.pending.length) return;
    const data = `${this.pending.join('\n')}\n`;
    this.pending = [];
    if (this.fd === null) this.fd = fs.openSync(this.file, 'a');
    fs.writeSync(this.fd, data);
  }

  /** Starts the background clean-up: now (after start-up) and then hourly. */
  startRetention(): void {
    this.maybeClean(true);
    this.timer = setInterval(() => this.maybeClean(true), 3600_000);
    this.timer.unref();
  }

  private maybeClean(force = false): void {
    if (this.cleaning) return;
    if (!force && this.byArn.size <= this.opts.maxClosed) return;
    this.cleaning = true;
    setImmediate(() => this.cleanBatch());
  }

  private cleanBatch(): void {
    try {
      const now = this.opts.now();
      const closed = [...this.byArn.values()].filter((s) => s.status !== 'RUNNING').sort((a, b) => (a.stopDate ?? a.startDate) - (b.stopDate ?? b.startDate));
      let excess = closed.length - this.opts.maxClosed;
      let n = 0;
      for (const s of closed) {
        const old = now - (s.stopDate ?? s.startDate) > this.opts.retentionMs;
        if (!old && excess <= 0) break;
        this.drop(s);
        excess--;
        if (++n >= 500) break;
      }
      if (n >= 500) {
        setImmediate(() => this.cleanBatch());
        return;
      }
      if (this.lines > 2 * this.byArn.size + 1000) this.compact();
    } catch (e) {
      this.opts.log?.(`stepfunctions: retention clean-up failed: ${(e as Error).message}`);
    }
    this.cleaning = false;
  }

  private compact(): void {
    this.flush();
    const data = [...this.byArn.values()].map((s) => JSON.stringify({ o: 'put', ...s })).join('\n');
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    writeAtomic(this.file, data ? `${data}\n` : '');
    this.lines = this.byArn.size;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.flush();
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}
