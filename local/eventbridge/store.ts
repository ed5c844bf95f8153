/**
 * Persistence under the data folder:
 *
 *   state.json              buses, rules with targets and schedule positions, archives, replays,
 *                           deliveries waiting for a retry, tags; replaced atomically (temp file +
 *                           rename) after every change
 *   archives/<name>.jsonl   one line per archived event: `<ingestion ms>\t<event JSON>`, appended
 *
 * A write reaches the OS before the API answers (it survives a crash of the process; like the
 * Kafka emulator it does not fsync every write).
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { PersistedState } from './model';

export class Store {
  private readonly statePath: string;
  private readonly archiveDir: string;
  private appendChains = new Map<string, Promise<void>>();
  /** per archive, the appends waiting for the write under way to end, to be written together */
  private openBatches = new Map<string, { text: string[]; written: Promise<void> }>();

  constructor(readonly dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.statePath = path.join(dataDir, 'state.json');
    this.archiveDir = path.join(dataDir, 'archives');
    fs.mkdirSync(this.archiveDir, { recursive: true });
  }

  load(): PersistedState | null {
    let text: string;
    try {
      text = fs.readFileSync(this.statePath, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return JSON.parse(text) as PersistedState;
  }

  save(state: PersistedState): void {
    const tmp = `${this.statePath}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(state));
    fs.renameSync(tmp, this.statePath);
  }

  private archiveFile(name: string): string {
    return path.join(this.archiveDir, `${name}.jsonl`);
  }

  /**
   * Appends events to an archive; appends to one archive are kept in order. The appends that
   * arrive while the archive's previous write is under way are written together, in one append,
   * when it ends (a group commit): one write per event, one after another, queued behind the
   * process's other file I/O under a burst of orders, and PutEvents, which answers once its
   * events are archived, took 0.7 s (median) to 2.9 s (p95) at 50 concurrent sagas.
   */
  appendArchive(name: string, lines: Array<{ ingestMs: number; json: string }>): Promise<void> {
    const text = lines.map((l) => `${l.ingestMs}\t${l.json}\n`).join('');
    const open = this.openBatches.get(name);
    if (open) {
      open.text.push(text);
      return open.written;
    }
    const batch: { text: string[]; written: Promise<void> } = { text: [text], written: Promise.resolve() };
    const prev = this.appendChains.get(name) ?? Promise.resolve();
    batch.written = prev.then(() => {
      // from here on, appends go into the next batch, written after this one
      if (this.openBatches.get(name) === batch) this.openBatches.delete(name);
      return fs.promises.appendFile(this.archiveFile(name), batch.text.join(''));
    });
    this.openBatches.set(name, batch);
    this.appendChains.set(name, batch.written.catch(() => undefined));
    return batch.written;
  }

  /** Waits for pending appends to an archive (before reading or rewriting it). */
  async settle(name: string): Promise<void> {
    await this.appendChains.get(name);
  }

  /** Reads an archive's events in order; `visit` returning false stops the scan. */
  async readArchive(name: string, visit: (ingestMs: number, json: string) => boolean | Promise<boolean>): Promise<void> {
    await this.settle(name);
    await this.scan(name, visit);
  }

  private async scan(name: string, visit: (ingestMs: number, json: string) => boolean | Promise<boolean>): Promise<void> {
    const file = this.archiveFile(name);
    if (!fs.existsSync(file)) return;
    const rl = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
    try {
      for await (const line of rl) {
        const tab = line.indexOf('\t');
        if (tab < 0) continue; // a torn last line after a crash
        const json = line.slice(tab + 1);
        try {
          JSON.parse(json);
        } catch {
          continue;
        }
        if ((await visit(Number(line.slice(0, tab)), json)) === false) break;
      }
    } finally {
      rl.close();
    }
  }

  /** Count and size of an archive's events (the size counts the events' JSON bytes). */
  async archiveStats(name: string): Promise<{ count: number; bytes: number }> {
    let count = 0;
    let bytes = 0;
    await this.readArchive(name, (_t, json) => {
      count++;
      bytes += Buffer.byteLength(json);
      return true;
    });
    return { count, bytes };
  }

  /**
   * Drops the events received before `cutoffMs` (queued behind pending appends, so none is lost);
   * returns how many were dropped and their size.
   */
  purgeArchive(name: string, cutoffMs: number): Promise<{ removed: number; removedBytes: number }> {
    const run = async () => {
      const file = this.archiveFile(name);
      if (!fs.existsSync(file)) return { removed: 0, removedBytes: 0 };
      const keep: string[] = [];
      let removed = 0;
      let removedBytes = 0;
      await this.scan(name, (t, json) => {
        if (t < cutoffMs) {
          removed++;
          removedBytes += Buffer.byteLength(json);
        } else keep.push(`${t}\t${json}\n`);
        return true;
      });
      if (removed > 0) {
        const tmp = `${file}.tmp`;
        fs.writeFileSync(tmp, keep.join(''));
        fs.renameSync(tmp, file);
      }
      return { removed, removedBytes };
    };
    const prev = this.appendChains.get(name) ?? Promise.resolve();
    this.openBatches.delete(name); // appends made after this purge are written after it
    const result = prev.then(run);
    this.appendChains.set(name, result.then(() => undefined, () => undefined));
    return result;
  }

  async deleteArchive(name: string): Promise<void> {
    this.openBatches.delete(name);
    await this.settle(name);
    this.appendChains.delete(name);
    fs.rmSync(this.archiveFile(name), { force: true });
  }
}
