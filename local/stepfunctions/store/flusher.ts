/**
 * Group commit: journals and the execution index buffer their lines and are written together once per
 * turn of the event loop (setImmediate), one write(2) per file however many lines. `durable()` resolves
 * after the next write, which is what StartExecution waits for before answering (an acknowledged
 * execution is on disk). Writers that must be on disk before an action outside the process (a task call,
 * a wait) flush themselves at once.
 */
export interface Buffered {
  /** flush order: the write-ahead log (0) before the archive (1) before the index (2) */
  readonly rank: number;
  flush(): void;
}

export class Flusher {
  private readonly dirty = new Set<Buffered>();
  private scheduled: NodeJS.Immediate | null = null;
  private waiters: Array<() => void> = [];
  private after: Array<() => void> = [];

  mark(w: Buffered): void {
    this.dirty.add(w);
    if (!this.scheduled) this.scheduled = setImmediate(() => this.flushAll());
  }

  /** Runs `f` once everything buffered now is written (e.g. deleting what the written lines replace). */
  afterCommit(f: () => void): void {
    this.after.push(f);
    if (!this.scheduled) this.scheduled = setImmediate(() => this.flushAll());
  }

  /** Resolves once everything buffered now is written. */
  durable(): Promise<void> {
    if (!this.dirty.size) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  flushAll(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    const writers = [...this.dirty].sort((a, b) => a.rank - b.rank);
    this.dirty.clear();
    for (const w of writers) w.flush();
    const after = this.after;
    this.after = [];
    for (const f of after) f();
    const waiters = this.waiters;
    this.waiters = [];
    for (const f of waiters) f();
  }
}
