/**
 * Histories of ended executions: one JSON line per execution (its journal lines, resume data included,
 * so that a redrive can continue it) appended to a shared segment, `<dataDir>/archive/<segment>.log`.
 * The index keeps where each history is ([segment, offset, length]) and reads it back with one
 * positional read. A segment is deleted once the retention has dropped every execution in it.
 */
import fs from 'node:fs';
import type { JournalLine } from '../runtime/history';
import { ensureDir, join, removeQuietly } from './files';
import type { Flusher } from './flusher';

export type ArchiveRef = [segment: number, offset: number, length: number];

export class Archive {
  readonly rank = 1;
  private readonly dir: string;
  private seg = 1;
  private fd: number | null = null;
  private size = 0;
  private pending: Buffer[] = [];
  private readonly live = new Map<number, number>();

  constructor(
    dataDir: string,
    private readonly flusher: Flusher,
    private readonly segmentBytes = 64 * 1024 * 1024,
  ) {
    this.dir = join(dataDir, 'archive');
    ensureDir(this.dir);
    const segs = fs
      .readdirSync(this.dir)
      .filter((f) => /^\d{10}\.log$/.test(f))
      .map((f) => Number(f.slice(0, 10)));
    if (segs.length) {
      this.seg = Math.max(...segs);
      this.size = fs.statSync(this.segPath(this.seg)).size;
    }
  }

  private segPath(n: number): string {
    return join(this.dir, `${String(n).padStart(10, '0')}.log`);
  }

  /** Counts the executions the index still references (at start-up, before any drop). */
  reference(ref: ArchiveRef): void {
    this.live.set(ref[0], (this.live.get(ref[0]) ?? 0) + 1);
  }

  /** Deletes the segments no indexed execution references (left by a crash between drops). */
  collectUnreferenced(): void {
    for (const f of fs.readdirSync(this.dir)) {
      const n = Number(f.slice(0, 10));
      if (/^\d{10}\.log$/.test(f) && n !== this.seg && !this.live.has(n)) removeQuietly(join(this.dir, f));
    }
  }

  /** Queues a history; its location is known at once (the write follows in the same group commit). */
  add(lines: JournalLine[]): ArchiveRef {
    if (this.size >= this.segmentBytes) {
      this.flush();
      if (this.fd !== null) fs.closeSync(this.fd);
      this.fd = null;
      this.seg++;
      this.size = 0;
    }
    const buf = Buffer.from(`${JSON.stringify(lines)}\n`);
    const ref: ArchiveRef = [this.seg, this.size, buf.length - 1];
    if (!this.pending.length) this.flusher.mark(this);
    this.pending.push(buf);
    this.size += buf.length;
    this.reference(ref);
    return ref;
  }

  flush(): void {
    if (!this.pending.length) return;
    const data = Buffer.concat(this.pending);
    this.pending = [];
    if (this.fd === null) this.fd = fs.openSync(this.segPath(this.seg), 'a');
    fs.writeSync(this.fd, data);
  }

  read(ref: ArchiveRef): JournalLine[] {
    const [seg, offset, length] = ref;
    if (seg === this.seg && this.pending.length) this.flush();
    const fd = fs.openSync(this.segPath(seg), 'r');
    try {
      const buf = Buffer.alloc(length);
      fs.readSync(fd, buf, 0, length, offset);
      return JSON.parse(buf.toString('utf8')) as JournalLine[];
    } finally {
      fs.closeSync(fd);
    }
  }

  /** An archived execution was dropped by the retention. */
  drop(ref: ArchiveRef): void {
    const n = (this.live.get(ref[0]) ?? 1) - 1;
    if (n > 0) this.live.set(ref[0], n);
    else {
      this.live.delete(ref[0]);
      if (ref[0] !== this.seg) removeQuietly(this.segPath(ref[0]));
    }
  }

  close(): void {
    this.flush();
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}
