/**
 * The journal of one execution, as the interpreter sees it: lines go to the shared write-ahead log
 * (wal.ts), buffered and written by the group commit, or at once when the interpreter flushes before an
 * action outside the process (a task call, a Wait, a retry interval, a task token wait). So an event is
 * on disk before the next transition acts outside the process; a crash can only lose events of pure
 * transitions (Pass, Choice...) that a resume computes again identically. No fsync: the data survives
 * the death of the process, not of the machine.
 */
import type { Journal } from '../runtime/execution';
import type { JournalLine } from '../runtime/history';
import type { WriteAheadLog } from './wal';

export class WalJournal implements Journal {
  constructor(
    private readonly wal: WriteAheadLog,
    private readonly arn: string,
  ) {}

  append(line: JournalLine): void {
    this.wal.append(this.arn, line);
  }

  flush(): void {
    this.wal.flush();
  }

  close(): void {}
}

/** Express executions are not durable (as on AWS): their events are only kept in memory. */
export class MemoryJournal implements Journal {
  append(): void {}
  close(): void {}
}
