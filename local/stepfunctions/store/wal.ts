/**
 * The write-ahead log of running executions: one append-only file for all of them, so that an execution
 * costs no file of its own (creating a file per execution was most of the service's CPU time).
 *
 *   <dataDir>/wal/<segment>.log    one JSON line per journal line: {"x": <execution ARN>, "l": <line>}
 *                                  or a checkpoint that replaces what came before: {"x": ARN, "c": [<lines>]}
 *
 * Lines are buffered and written by the group commit (flusher.ts), or at once by flush() before an action
 * outside the process. Segments roll at `segmentBytes`; a segment is deleted once no running execution
 * has lines in it. At a roll, executions still holding lines in older segments are checkpointed (all
 * their lines written again into the new segment), so a long Wait does not keep old segments alive.
 * When an execution ends, its history moves to the archive (archive.ts) and it releases its segments.
 */
import fs from 'node:fs';
import type { JournalLine } from '../runtime/history';
import { ensureDir, join, readJsonLines, removeQuietly } from './files';
import type { Flusher } from './flusher';

type WalRecord = { x: string; l: JournalLine } | { x: string; c: JournalLine[] };

export class WriteAheadLog {
  readonly rank = 0;
  private readonly dir: string;
  private seg = 0;
  private fd: number | null = null;
  private size = 0;
  private pending: string[] = [];
  private pendingBytes = 0;
  /** running execution -> the segments holding its lines */
  private readonly segsOf = new Map<string, Set<number>>();
  /** segment -> executions with lines in it */
  private readonly refs = new Map<number, Set<string>>();
  /** running execution -> all its lines (for checkpoints) */
  private readonly linesOf = new Map<string, JournalLine[]>();

  constructor(
    dataDir: string,
    private readonly flusher: Flusher,
    private readonly segmentBytes = 16 * 1024 * 1024,
  ) {
    this.dir = join(dataDir, 'wal');
    ensureDir(this.dir);
  }

  private segPath(n: number): string {
    return join(this.dir, `${String(n).padStart(10, '0')}.log`);
  }

  /** Reads every segment: the lines of each execution found in them (checkpoints applied). */
  load(): Map<string, JournalLine[]> {
    const segs = fs
      .readdirSync(this.dir)
      .filter((f) => /^\d{10}\.log$/.test(f))
      .map((f) => Number(f.slice(0, 10)))
      .sort((a, b) => a - b);
    const out = new Map<string, JournalLine[]>();
    for (const n of segs) {
      for (const r of readJsonLines<WalRecord>(this.segPath(n))) {
        if ('c' in r) out.set(r.x, r.c.slice());
        else {
          let l = out.get(r.x);
          if (!l) out.set(r.x, (l = []));
          l.push(r.l);
        }
        this.ref(r.x, n);
      }
    }
    this.seg = segs.length ? segs[segs.length - 1] + 1 : 1;
    for (const [arn, lines] of out) this.linesOf.set(arn, lines);
    return out;
  }

  private ref(arn: string, seg: number): void {
    let s = this.segsOf.get(arn);
    if (!s) this.segsOf.set(arn, (s = new Set()));
    s.add(seg);
    let r = this.refs.get(seg);
    if (!r) this.refs.set(seg, (r = new Set()));
    r.add(arn);
  }

  /** Lines of executions the index no longer runs (ended, dropped) release their segments. */
  forgetAllBut(running: Set<string>): void {
    for (const arn of [...this.segsOf.keys()]) if (!running.has(arn)) this.release(arn);
  }

  /** All the lines of a running execution (its history to archive when it ends). */
  lines(arn: string): JournalLine[] {
    return this.linesOf.get(arn) ?? [];
  }

  /** Writes an execution's lines as a checkpoint (a resumed or redriven execution carries its past on). */
  checkpoint(arn: string, lines: JournalLine[]): void {
    this.linesOf.set(arn, lines.slice());
    this.push(arn, JSON.stringify({ x: arn, c: lines }));
  }

  append(arn: string, line: JournalLine): void {
    let lines = this.linesOf.get(arn);
    if (!lines) this.linesOf.set(arn, (lines = []));
    lines.push(line);
    this.push(arn, JSON.stringify({ x: arn, l: line }));
  }

  private push(arn: string, text: string): void {
    if (!this.pending.length) this.flusher.mark(this);
    this.pending.push(text);
    this.pendingBytes += text.length + 1;
    this.ref(arn, this.seg);
  }

  flush(): void {
    if (!this.pending.length) return;
    const data = `${this.pending.join('\n')}\n`;
    this.pending = [];
    this.pendingBytes = 0;
    if (this.fd === null) this.fd = fs.openSync(this.segPath(this.seg), 'a');
    fs.writeSync(this.fd, data);
    this.size += data.length;
    if (this.size >= this.segmentBytes) this.roll();
  }

  /** Starts a new segment; checkpoints executions that still hold older segments; deletes free segments. */
  private roll(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    this.size = 0;
    const old = this.seg;
    this.seg++;
    for (const [arn, segs] of this.segsOf) {
      if ([...segs].some((s) => s < old)) {
        this.push(arn, JSON.stringify({ x: arn, c: this.linesOf.get(arn) ?? [] }));
        for (const s of segs) if (s !== this.seg) this.unref(arn, s);
        segs.clear();
        segs.add(this.seg);
      }
    }
    this.collect();
  }

  private unref(arn: string, seg: number): void {
    const r = this.refs.get(seg);
    if (!r) return;
    r.delete(arn);
  }

  /** An execution ended (its history is archived): its segments may go. */
  release(arn: string): void {
    const segs = this.segsOf.get(arn);
    this.segsOf.delete(arn);
    this.linesOf.delete(arn);
    if (segs) for (const s of segs) this.unref(arn, s);
    this.collect();
  }

  private collect(): void {
    for (const [seg, r] of this.refs) {
      if (r.size === 0 && seg !== this.seg) {
        this.refs.delete(seg);
        removeQuietly(this.segPath(seg));
      }
    }
  }

  close(): void {
    this.flush();
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}
