/**
 * The append-only journal of one execution: one JSON line per history event (and per retry decision).
 *
 * Lines are buffered and written with one write(2) at each flush; the interpreter flushes before every
 * action that leaves the process or waits (a task call, a Wait, a retry interval, a task token wait) and
 * at the end of every synchronous run of transitions (a microtask after the first buffered line). So an
 * event is on disk before the next transition acts outside the process; a crash can only lose events of
 * pure transitions (Pass, Choice...) that a resume computes again identically. No fsync: the data
 * survives the death of the process, not of the machine.
 *
 * Descriptors: a journal keeps its file open while it runs and closes it while it waits (idle), so that
 * thousands of waiting executions do not hold thousands of descriptors.
 */
import fs from 'node:fs';
import type { Journal } from '../runtime/execution';
import type { JournalLine } from '../runtime/history';

export class FileJournal implements Journal {
  private fd: number | null = null;
  private buf: string[] = [];
  private scheduled = false;
  private closed = false;

  constructor(readonly file: string) {}

  append(line: JournalLine): void {
    if (this.closed) return;
    this.buf.push(JSON.stringify(line));
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (!this.buf.length) return;
    const data = `${this.buf.join('\n')}\n`;
    this.buf = [];
    if (this.fd === null) this.fd = fs.openSync(this.file, 'a');
    fs.writeSync(this.fd, data);
  }

  idle(): void {
    this.flush();
    if (this.fd !== null) {
      fs.closeSync(this.fd);
      this.fd = null;
    }
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

/** Express executions are not durable (as on AWS): their events are only kept in memory. */
export class MemoryJournal implements Journal {
  append(): void {}
  close(): void {}
}
