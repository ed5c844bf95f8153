/**
 * Committed consumer-group offsets (Kafka keeps them in the __consumer_offsets topic). Here:
 * an append-only journal `<dataDir>/consumer-offsets.jsonl`, one JSON object per line, replayed
 * at startup and compacted then when it has grown well past the live entries. A commit is
 * acknowledged after its line reached the OS (same policy as the logs). A torn last line from
 * a crash (every append ends with a newline, so it is whatever follows the last one) is cut
 * off before the journal is appended to again: left there, it would swallow the next line.
 *
 * Like Kafka, the journal also keeps each group's metadata (generation, protocol, leader,
 * members and their assignments), written when a group becomes Stable or Empty, so that after
 * a restart the members carry on heartbeating and committing in their generation instead of
 * being told they are unknown.
 *
 * Lines: {"g":group,"t":topic,"p":partition,"o":offset,"m":metadata}
 *        {"gm":group,"s":GroupSnapshot}   (group metadata)
 *        {"g":group,"del":1}              (group deleted, with its offsets and metadata)
 *        {"t":topic,"del":1}              (topic deleted: its offsets in every group)
 */
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { replaceFileSync } from './files';

const write = promisify(fs.write);
const close = promisify(fs.close);

export interface CommittedOffset {
  offset: number;
  metadata: string | null;
}

/** A group's membership as persisted (buffers base64). */
export interface GroupSnapshot {
  generationId: number;
  protocolType: string | null;
  protocol: string | null;
  leaderId: string | null;
  members: {
    id: string;
    clientId: string;
    clientHost: string;
    sessionTimeoutMs: number;
    rebalanceTimeoutMs: number;
    metadata: string;
    assignment: string;
  }[];
}

type Line =
  | { g: string; t: string; p: number; o: number; m: string | null }
  | { gm: string; s: GroupSnapshot }
  | { g: string; del: 1 }
  | { t: string; del: 1 };

export class OffsetStore {
  /** group -> "topic\0partition" -> offset */
  private readonly groups = new Map<string, Map<string, CommittedOffset>>();
  private readonly groupMeta = new Map<string, GroupSnapshot>();
  private readonly fd: number;
  private position: number;
  private pending: { data: string; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private writing: Promise<void> | null = null;

  private constructor(private readonly file: string) {
    this.replay();
    this.cutTornTail();
    this.compactIfLarge();
    this.fd = fs.openSync(file, 'a+');
    this.position = fs.fstatSync(this.fd).size;
  }

  static load(dataDir: string): OffsetStore {
    return new OffsetStore(path.join(dataDir, 'consumer-offsets.jsonl'));
  }

  private lines = 0;

  private replay(): void {
    let data: Buffer;
    try {
      data = fs.readFileSync(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const whole = data.lastIndexOf(0x0a) + 1;
    if (whole < data.length) this.tornFrom = whole;
    for (const raw of data.toString('utf8', 0, whole).split('\n')) {
      if (!raw) continue;
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        continue; // not JSON (a damaged line): skipped, the lines after it still count
      }
      if (typeof line !== 'object' || line === null) continue;
      this.lines++;
      this.apply(line);
    }
  }

  /** Truncates the journal after its last newline (bytes of an interrupted append). */
  private cutTornTail(): void {
    if (this.tornFrom < 0) return;
    fs.truncateSync(this.file, this.tornFrom);
  }

  /** Byte length of the journal up to its last newline when bytes follow it, else -1. */
  private tornFrom = -1;

  private apply(line: Line): void {
    if ('gm' in line) {
      this.groupMeta.set(line.gm, line.s);
      return;
    }
    if ('del' in line) {
      if ('g' in line) {
        this.groups.delete(line.g);
        this.groupMeta.delete(line.g);
      }
      else for (const offsets of this.groups.values()) for (const k of [...offsets.keys()]) if (k.startsWith(`${line.t}\0`)) offsets.delete(k);
      return;
    }
    let offsets = this.groups.get(line.g);
    if (!offsets) this.groups.set(line.g, (offsets = new Map()));
    offsets.set(`${line.t}\0${line.p}`, { offset: line.o, metadata: line.m });
  }

  private compactIfLarge(): void {
    let live = this.groupMeta.size;
    for (const o of this.groups.values()) live += o.size;
    if (this.lines < 1000 || this.lines < live * 2) return;
    const out: string[] = [];
    for (const [gm, snap] of this.groupMeta) out.push(JSON.stringify({ gm, s: snap }));
    for (const [g, offsets] of this.groups) {
      for (const [k, v] of offsets) {
        const [t, p] = k.split('\0');
        out.push(JSON.stringify({ g, t, p: Number(p), o: v.offset, m: v.metadata }));
      }
    }
    replaceFileSync(this.file, out.length ? out.join('\n') + '\n' : '');
  }

  get(group: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.groups.get(group)?.get(`${topic}\0${partition}`);
  }

  hasGroup(group: string): boolean {
    return this.groups.has(group) || this.groupMeta.has(group);
  }

  groupIds(): string[] {
    return [...new Set([...this.groups.keys(), ...this.groupMeta.keys()])];
  }

  /** Group metadata persisted by earlier runs. */
  groupSnapshots(): [string, GroupSnapshot][] {
    return [...this.groupMeta.entries()];
  }

  saveGroup(group: string, snapshot: GroupSnapshot): Promise<void> {
    const line: Line = { gm: group, s: snapshot };
    this.apply(line);
    return this.append(JSON.stringify(line) + '\n');
  }

  /** Applies the commits in memory now (so a following OffsetFetch sees them) and persists them. */
  commit(group: string, entries: { topic: string; partition: number; offset: number; metadata: string | null }[]): Promise<void> {
    if (entries.length === 0) {
      if (!this.groups.has(group)) this.groups.set(group, new Map());
      return Promise.resolve();
    }
    const lines = entries.map((e) => {
      const line: Line = { g: group, t: e.topic, p: e.partition, o: e.offset, m: e.metadata };
      this.apply(line);
      return JSON.stringify(line);
    });
    return this.append(lines.join('\n') + '\n');
  }

  deleteGroup(group: string): Promise<void> {
    this.apply({ g: group, del: 1 });
    return this.append(JSON.stringify({ g: group, del: 1 }) + '\n');
  }

  deleteTopic(topic: string): Promise<void> {
    this.apply({ t: topic, del: 1 });
    return this.append(JSON.stringify({ t: topic, del: 1 }) + '\n');
  }

  private append(data: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ data, resolve, reject });
      if (!this.writing) this.writing = this.writeLoop();
    });
  }

  private async writeLoop(): Promise<void> {
    try {
      while (this.pending.length) {
        const work = this.pending;
        this.pending = [];
        const buf = Buffer.from(work.map((w) => w.data).join(''));
        try {
          let done = 0;
          while (done < buf.length) {
            const { bytesWritten } = await write(this.fd, buf, done, buf.length - done, this.position + done);
            done += bytesWritten;
          }
          this.position += buf.length;
          for (const w of work) w.resolve();
        } catch (err) {
          for (const w of work) w.reject(err);
        }
      }
    } finally {
      this.writing = null;
    }
  }

  async close(): Promise<void> {
    while (this.writing) await this.writing;
    fs.fsyncSync(this.fd);
    await close(this.fd);
  }
}
