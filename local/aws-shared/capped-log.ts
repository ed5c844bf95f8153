/**
 * An append-only log of text lines kept under a size cap: lines go to `<dir>/<n>.log`, a new file
 * is started past `fileBytes`, and the oldest files are deleted while the folder holds more than
 * `maxBytes`. Lines are buffered and written together once per turn of the event loop (one
 * `appendFile` for many records: traces and metrics arrive in bursts), so a caller's hot path only
 * pushes to an array. A torn last line (a crash mid-write) is skipped at replay.
 *
 * Used by the X-Ray store (segment documents) and the CloudWatch store (metric samples): both
 * keep recent telemetry and may lose the oldest, never the newest.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

export interface CappedLogOptions {
  dir: string;
  /** total size of the folder (default 64 MiB) */
  maxBytes?: number;
  /** size at which a new file is started (default maxBytes / 8) */
  fileBytes?: number;
  /** called with the number of a file just deleted for the cap (its lines are gone) */
  onDrop?: (fileNo: number) => void;
}

export class CappedLog {
  private readonly maxBytes: number;
  private readonly fileBytes: number;
  /** file numbers and sizes, oldest first */
  private readonly files: Array<{ no: number; bytes: number }> = [];
  private pending: string[] = [];
  private pendingBytes = 0;
  private scheduled = false;
  private closed = false;

  constructor(private readonly opts: CappedLogOptions) {
    this.maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
    this.fileBytes = Math.max(4096, opts.fileBytes ?? Math.floor(this.maxBytes / 8));
    mkdirSync(opts.dir, { recursive: true });
    for (const f of readdirSync(opts.dir)) {
      const m = /^(\d+)\.log$/.exec(f);
      if (m) this.files.push({ no: Number(m[1]), bytes: statSync(path.join(opts.dir, f)).size });
    }
    this.files.sort((a, b) => a.no - b.no);
  }

  /** Every stored line, oldest first, with the number of the file it is in. */
  *replay(): Generator<{ line: string; fileNo: number }> {
    for (const f of this.files) {
      let text: string;
      try {
        text = readFileSync(this.file(f.no), 'utf8');
      } catch {
        continue;
      }
      const lines = text.split('\n');
      // the part after the last newline is empty, or a line torn by a crash: skipped either way
      for (let i = 0; i < lines.length - 1; i++) if (lines[i]) yield { line: lines[i]!, fileNo: f.no };
    }
  }

  /** The number of the file the next line goes to. */
  get currentFile(): number {
    const last = this.files[this.files.length - 1];
    if (!last || last.bytes >= this.fileBytes) return (last?.no ?? 0) + 1;
    return last.no;
  }

  /** Queues a line (no newline in it); written at the end of this turn of the event loop. */
  append(line: string): number {
    if (this.closed) return this.currentFile;
    this.pending.push(line);
    this.pendingBytes += line.length + 1;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    return this.currentFile;
  }

  /** Writes what is queued now. */
  flush(): void {
    this.scheduled = false;
    if (!this.pending.length) return;
    const text = this.pending.join('\n') + '\n';
    this.pending = [];
    this.pendingBytes = 0;
    let last = this.files[this.files.length - 1];
    if (!last || last.bytes >= this.fileBytes) {
      last = { no: (last?.no ?? 0) + 1, bytes: 0 };
      this.files.push(last);
    }
    try {
      appendFileSync(this.file(last.no), text);
      last.bytes += Buffer.byteLength(text);
    } catch {
      return; // telemetry that cannot be written is lost, never the caller's work
    }
    let total = this.files.reduce((n, f) => n + f.bytes, 0);
    while (total > this.maxBytes && this.files.length > 1) {
      const oldest = this.files.shift()!;
      rmSync(this.file(oldest.no), { force: true });
      total -= oldest.bytes;
      this.opts.onDrop?.(oldest.no);
    }
  }

  get bytes(): number {
    return this.files.reduce((n, f) => n + f.bytes, 0) + this.pendingBytes;
  }

  close(): void {
    this.flush();
    this.closed = true;
  }

  private file(no: number): string {
    return path.join(this.opts.dir, `${String(no).padStart(8, '0')}.log`);
  }
}
