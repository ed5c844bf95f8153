/**
 * The topics of the broker: `<dataDir>/topics.json` records each topic and its partition
 * count (replaced atomically on every change), and each partition's log lives in
 * `<dataDir>/<topic>-<partition>/`. Loaded synchronously once at startup; creations and
 * deletions afterwards are asynchronous and serialized.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode, KafkaProtocolError, StorageError } from '../errors';
import { readJsonIfExists, replaceFile } from './files';
import { PartitionLog, type PartitionLogOptions } from './partition-log';

interface TopicsFile {
  version: 1;
  topics: Record<string, { partitions: number; createdAt: string }>;
}

export interface Topic {
  name: string;
  partitions: PartitionLog[];
  createdAt: string;
}

const LEGAL_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
/** Suffix of a partition directory being deleted; '~' is illegal in topic names. */
const DELETED_MARK = '~deleted-';
export const MAX_PARTITIONS = 10_000;

export function validateTopicName(name: string): void {
  if (!LEGAL_NAME.test(name) || name === '.' || name === '..') {
    throw new KafkaProtocolError(ErrorCode.INVALID_TOPIC_EXCEPTION, `illegal topic name ${JSON.stringify(name)}`);
  }
}

export class TopicStore {
  private readonly topics = new Map<string, Topic>();
  private persistChain: Promise<void> = Promise.resolve();
  private readonly file: string;

  private constructor(
    private readonly dataDir: string,
    private readonly opts: PartitionLogOptions,
  ) {
    this.file = path.join(dataDir, 'topics.json');
  }

  static load(dataDir: string, opts: PartitionLogOptions): TopicStore {
    const store = new TopicStore(dataDir, opts);
    let doc: TopicsFile | undefined;
    try {
      doc = readJsonIfExists<TopicsFile>(store.file);
    } catch (err) {
      throw new StorageError(`cannot read ${store.file}: ${(err as Error).message}`);
    }
    for (const [name, t] of Object.entries(doc?.topics ?? {})) {
      // A hand-edited file must not lead the broker outside its data folder either.
      if (!LEGAL_NAME.test(name) || name === '.' || name === '..' || !Number.isInteger(t.partitions) || t.partitions < 1 || t.partitions > MAX_PARTITIONS) {
        opts.log(`${store.file}: ignoring topic ${JSON.stringify(name)} (illegal name or partition count)`);
        continue;
      }
      const partitions: PartitionLog[] = [];
      for (let p = 0; p < t.partitions; p++) partitions.push(PartitionLog.open(store.partitionDir(name, p), name, p, opts));
      store.topics.set(name, { name, partitions, createdAt: t.createdAt });
    }
    // Finish deletions a previous run started. A doomed directory's name ends in DELETED_MARK
    // plus a stamp; '~' cannot occur in a topic name, so no live partition can match. (The
    // '.deleted-' of earlier versions could: a topic named "audit.deleted-1" lost its data on
    // every start. Such old leftovers are still removed, unless a live partition owns the name.)
    const live = new Set(store.all().flatMap((t) => t.partitions.map((p) => path.basename(p.dir))));
    for (const entry of fs.readdirSync(dataDir)) {
      const doomed = entry.includes(DELETED_MARK) || (/\.deleted-\d+-[a-z0-9]+$/.test(entry) && !live.has(entry));
      if (doomed) fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true });
    }
    return store;
  }

  private partitionDir(topic: string, partition: number): string {
    return path.join(this.dataDir, `${topic}-${partition}`);
  }

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  all(): Topic[] {
    return [...this.topics.values()];
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.topics.get(topic)?.partitions[partition];
  }

  /** Creates a topic; throws TOPIC_ALREADY_EXISTS, INVALID_TOPIC_EXCEPTION or INVALID_PARTITIONS. */
  async create(name: string, partitions: number): Promise<Topic> {
    validateTopicName(name);
    if (!Number.isInteger(partitions) || partitions < 1 || partitions > MAX_PARTITIONS) {
      throw new KafkaProtocolError(ErrorCode.INVALID_PARTITIONS, `partition count ${partitions} must be 1..${MAX_PARTITIONS}`);
    }
    if (this.topics.has(name)) throw new KafkaProtocolError(ErrorCode.TOPIC_ALREADY_EXISTS, `topic ${name} already exists`);
    // As Kafka: '.' and '_' collide in metric names, so "a.b" and "a_b" cannot both exist.
    const folded = name.replace(/\./g, '_');
    const rival = this.all().find((t) => t.name.replace(/\./g, '_') === folded);
    if (rival) throw new KafkaProtocolError(ErrorCode.INVALID_TOPIC_EXCEPTION, `topic ${name} collides with existing topic ${rival.name}`);
    const logs: PartitionLog[] = [];
    for (let p = 0; p < partitions; p++) logs.push(PartitionLog.open(this.partitionDir(name, p), name, p, this.opts));
    const topic: Topic = { name, partitions: logs, createdAt: new Date().toISOString() };
    this.topics.set(name, topic);
    await this.persist();
    this.opts.log(`created topic ${name} with ${partitions} partition(s)`);
    return topic;
  }

  /** Deletes a topic and its logs; throws UNKNOWN_TOPIC_OR_PARTITION. */
  async delete(name: string): Promise<void> {
    const topic = this.topics.get(name);
    if (!topic) throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `no topic ${name}`);
    this.topics.delete(name);
    await this.persist();
    await Promise.all(topic.partitions.map((p) => p.close()));
    // Rename first (atomic, frees the name for an immediate re-create), then remove.
    const stamp = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    const doomed: string[] = [];
    for (const p of topic.partitions) {
      const to = `${p.dir}${DELETED_MARK}${stamp}`;
      await fsp.rename(p.dir, to);
      doomed.push(to);
    }
    await Promise.all(doomed.map((d) => fsp.rm(d, { recursive: true, force: true })));
    this.opts.log(`deleted topic ${name}`);
  }

  private persist(): Promise<void> {
    const next = this.persistChain.then(() => {
      const doc: TopicsFile = { version: 1, topics: {} };
      for (const t of this.topics.values()) doc.topics[t.name] = { partitions: t.partitions.length, createdAt: t.createdAt };
      return replaceFile(this.file, JSON.stringify(doc, null, 2) + '\n');
    });
    this.persistChain = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.persistChain;
    await Promise.all(this.all().flatMap((t) => t.partitions.map((p) => p.close())));
  }
}
