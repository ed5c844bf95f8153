/**
 * An append-only journal of JSON lines: the durable state of the SQS, SNS and SES emulators.
 *
 * - Every change is one line. `append` buffers; `flush` writes the buffer with one write(2)
 *   before the API answers, so an acknowledged change is in the OS page cache and survives a
 *   SIGKILL of the process (not a power loss; no fsync per request, as the Kafka broker).
 * - `replay` reads the file line by line. A torn last line (a crash mid-write) is dropped; a
 *   corrupt line elsewhere is skipped and counted.
 * - `compact(lines)` replaces the file with a snapshot of the live state: written to a temp file,
 *   fsynced, renamed over the journal, so a crash leaves either the old or the new file whole.
 *   The owner compacts at start-up and when `shouldCompact()` says the file has grown to several
 *   times the size of the last snapshot.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface JournalStats {
  lines: number;
  skipped: number;
  tornTail: boolean;
}

export class Journal {
  private fd: number;
  private buffer: string[] = [];
  private bytesSinceCompaction = 0;
  private lastSnapshotBytes = 0;
  private scheduled = false;

  constructor(readonly file: string, private readonly minCompactBytes = 32 * 1024 * 1024) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'a');
  }

  /** Calls `apply` for each record in order; returns what it found. */
  replay(apply: (rec: Record<string, unknown>) => void): JournalStats {
    const stats: JournalStats = { lines: 0, skipped: 0, tornTail: false };
    const text = fs.existsSync(this.file) ? fs.readFileSync(this.file, 'utf8') : '';
    const lines = text.split('\n');
    const endsClean = text.endsWith('\n') || text.length === 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (!line) continue;
      const last = i === lines.length - 1;
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(line) as Record<string, unknown>;
      } catch {
        if (!(last && !endsClean)) stats.skipped++;
        continue;
      }
      stats.lines++;
      apply(rec);
    }
    if (!endsClean) {
      // Cut the torn (or newline-less) last line so the next append starts a line of its own; a
      // complete value without its newline was applied above and is kept by ending its line.
      const lastNl = text.lastIndexOf('\n');
      const tail = text.slice(lastNl + 1);
      let complete = false;
      try {
        JSON.parse(tail);
        complete = true;
      } catch {
        stats.tornTail = true;
      }
      if (complete) fs.writeSync(this.fd, '\n');
      else fs.truncateSync(this.file, Buffer.byteLength(text.slice(0, lastNl + 1)));
    }
    this.bytesSinceCompaction = text.length;
    return stats;
  }

  append(rec: object): void {
    this.buffer.push(JSON.stringify(rec));
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Writes what is buffered (one write call). */
  flush(): void {
    this.scheduled = false;
    if (this.buffer.length === 0) return;
    const data = this.buffer.join('\n') + '\n';
    this.buffer = [];
    fs.writeSync(this.fd, data);
    this.bytesSinceCompaction += data.length;
  }

  shouldCompact(): boolean {
    return this.bytesSinceCompaction > Math.max(this.minCompactBytes, 4 * this.lastSnapshotBytes);
  }

  /** Replaces the journal with these records (the live state), atomically. */
  compact(records: Iterable<object>): void {
    this.flush();
    const tmp = `${this.file}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    let size = 0;
    let chunk: string[] = [];
    let chunkLen = 0;
    const write = () => {
      if (!chunk.length) return;
      const s = chunk.join('');
      fs.writeSync(fd, s);
      size += Buffer.byteLength(s);
      chunk = [];
      chunkLen = 0;
    };
    for (const r of records) {
      const line = JSON.stringify(r) + '\n';
      chunk.push(line);
      chunkLen += line.length;
      if (chunkLen > 1 << 20) write();
    }
    write();
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.closeSync(this.fd);
    fs.renameSync(tmp, this.file);
    this.fd = fs.openSync(this.file, 'a');
    this.lastSnapshotBytes = size;
    this.bytesSinceCompaction = size;
  }

  close(): void {
    this.flush();
    try {
      fs.fsyncSync(this.fd);
    } catch {
      // closing anyway
    }
    fs.closeSync(this.fd);
  }
}
