/**
 * The broker: opens the data directory (topics, logs, committed offsets), listens on TCP and
 * hands each connection to connection.ts. Single node: node id 0, advertised at the address it
 * bound, controller and group coordinator for everything.
 *
 * Data directory layout:
 *   meta.json                 cluster id, next producer id
 *   topics.json               topics and partition counts
 *   consumer-offsets.jsonl    committed group offsets (journal)
 *   <topic>-<partition>/      log segments: <baseOffset>.log + <baseOffset>.index
 *   .lock                     pid of the broker using the directory
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from './connection';
import { StorageError } from './errors';
import { GroupCoordinator } from './group/coordinator';
import type { BrokerConfig, BrokerState } from './handlers/context';
import { HANDLERS } from './handlers/index';
import { IMPLEMENTED } from './protocol/registry';
import { DEFAULT_MAX_UNCOMPRESSED_BYTES } from './protocol/records';
import { readJsonIfExists, replaceFile } from './storage/files';
import { OffsetStore } from './storage/offset-store';
import { TopicStore } from './storage/topic-store';

export interface KafkaBrokerOptions {
  /** Address to bind and advertise. Default 127.0.0.1. */
  host?: string;
  /** Port to bind; 0 picks a free one. Default 9092. */
  port?: number;
  dataDir: string;
  /** Create unknown topics on Metadata requests that allow it. Default true. */
  autoCreateTopics?: boolean;
  /** Partitions of auto-created topics (and of CreateTopics with -1). Default 1. */
  defaultPartitions?: number;
  /** Largest record batch accepted (Kafka's max.message.bytes). Default 1 MiB. */
  maxMessageBytes?: number;
  /** Largest a gzip batch may inflate to when its records are checked (a gzip bomb's bound). Default 16 MiB. */
  maxUncompressedBatchBytes?: number;
  log?: (msg: string) => void;
  /** Segment roll size. Default 64 MiB. (Beyond the documented options; for tests of rolling.) */
  segmentBytes?: number;
  /**
   * Whether group members saved before a restart are restored (Kafka's behaviour: consumers
   * live elsewhere and survive a broker restart, so they keep their assignment until their
   * session times out). Default true. A host whose consumers share the broker's process (the
   * local cloud's event source mappings) passes false: none of them can have outlived it, and
   * restored members would only hold up the next rebalance for a session timeout.
   */
  restoreGroupMembers?: boolean;
}

export interface KafkaBroker {
  host: string;
  port: number;
  /** "host:port", for clients' bootstrap servers. */
  bootstrap: string;
  /** Fetches waiting for data now (long polls), for tools and tests that must know one is parked. */
  readonly parkedFetches: number;
  /** Creates a topic; a no-op if it exists with that partition count, an error if with another. */
  createTopic(name: string, partitions: number): Promise<void>;
  close(): Promise<void>;
}

interface MetaFile {
  clusterId: string;
  nextProducerId: number;
}

const DEFAULTS = {
  host: '127.0.0.1',
  port: 9092,
  defaultPartitions: 1,
  maxMessageBytes: 1024 * 1024,
  segmentBytes: 64 * 1024 * 1024,
  tailCacheBytes: 4 * 1024 * 1024,
  /** Kafka's group.min/max.session.timeout.ms are 6 s / 30 min; a local broker allows shorter. */
  minSessionTimeoutMs: 1000,
  maxSessionTimeoutMs: 30 * 60 * 1000,
  /** Kafka's default is 3 s; local development wants groups to form at once. */
  initialRebalanceDelayMs: 0,
};

/** Takes `<dataDir>/.lock`; a lock left by a dead process means the last run crashed. */
function acquireLock(dataDir: string): { lock: string; unclean: boolean } {
  const lock = path.join(dataDir, '.lock');
  let unclean = false;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return { lock, unclean };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(lock, 'utf8'));
      let alive = false;
      if (pid > 0 && pid !== process.pid) {
        try {
          process.kill(pid, 0);
          alive = true;
        } catch {
          alive = false;
        }
      }
      if (alive) throw new StorageError(`${dataDir} is in use by process ${pid}`);
      if (pid === process.pid) throw new StorageError(`${dataDir} is already open in this process`);
      fs.rmSync(lock, { force: true }); // stale: its process is gone without closing the broker
      unclean = true;
    }
  }
  throw new StorageError(`cannot lock ${dataDir}`);
}

export async function createKafkaBroker(opts: KafkaBrokerOptions): Promise<KafkaBroker> {
  for (const key of IMPLEMENTED.keys()) if (!HANDLERS.has(key)) throw new Error(`no handler for api key ${key}`);
  const log = opts.log ?? (() => undefined);
  const host = opts.host ?? DEFAULTS.host;
  const defaultPartitions = opts.defaultPartitions ?? DEFAULTS.defaultPartitions;
  const maxMessageBytes = opts.maxMessageBytes ?? DEFAULTS.maxMessageBytes;
  if (!Number.isInteger(defaultPartitions) || defaultPartitions < 1) throw new RangeError('defaultPartitions must be a positive integer');
  if (!Number.isInteger(maxMessageBytes) || maxMessageBytes < 64) throw new RangeError('maxMessageBytes must be an integer >= 64');
  const maxUncompressedBatchBytes = opts.maxUncompressedBatchBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES;
  if (!Number.isInteger(maxUncompressedBatchBytes) || maxUncompressedBatchBytes < 64) throw new RangeError('maxUncompressedBatchBytes must be an integer >= 64');

  fs.mkdirSync(opts.dataDir, { recursive: true });
  const { lock, unclean } = acquireLock(opts.dataDir);
  if (unclean) log(`${opts.dataDir} was not closed cleanly: recovering`);
  let topics: TopicStore | undefined;
  let offsets: OffsetStore | undefined;
  try {
    const metaPath = path.join(opts.dataDir, 'meta.json');
    const meta: MetaFile = readJsonIfExists<MetaFile>(metaPath) ?? {
      clusterId: randomBytes(16).toString('base64url').slice(0, 22),
      nextProducerId: 1000,
    };
    await replaceFile(metaPath, JSON.stringify(meta) + '\n');
    topics = TopicStore.load(opts.dataDir, {
      segmentBytes: opts.segmentBytes ?? DEFAULTS.segmentBytes,
      tailCacheBytes: DEFAULTS.tailCacheBytes,
      uncleanShutdown: unclean,
      log,
    });
    offsets = OffsetStore.load(opts.dataDir);
    const coordinator = new GroupCoordinator(offsets, {
      minSessionTimeoutMs: DEFAULTS.minSessionTimeoutMs,
      maxSessionTimeoutMs: DEFAULTS.maxSessionTimeoutMs,
      initialRebalanceDelayMs: DEFAULTS.initialRebalanceDelayMs,
      restoreMembers: opts.restoreGroupMembers ?? true,
      log,
    });

    const config: BrokerConfig = {
      nodeId: 0,
      host,
      port: 0,
      clusterId: meta.clusterId,
      autoCreateTopics: opts.autoCreateTopics ?? true,
      defaultPartitions,
      maxMessageBytes,
      maxUncompressedBatchBytes,
    };
    const closeListeners = new Set<() => void>();
    let metaChain = Promise.resolve();
    const state: BrokerState = {
      config,
      topics,
      coordinator,
      closing: false,
      parkedFetches: 0,
      log,
      onClose(fn) {
        closeListeners.add(fn);
        return () => closeListeners.delete(fn);
      },
      allocateProducerId() {
        const id = meta.nextProducerId++;
        const write = metaChain.then(() => replaceFile(metaPath, JSON.stringify(meta) + '\n'));
        metaChain = write.catch(() => undefined);
        return write.then(() => id);
      },
    };

    const connections = new Set<Connection>();
    const server = net.createServer((socket) => {
      if (state.closing) {
        socket.destroy();
        return;
      }
      connections.add(new Connection(socket, state, (c) => connections.delete(c)));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? DEFAULTS.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => log(`server error: ${err.message}`));
    config.port = (server.address() as net.AddressInfo).port;
    log(`kafka broker listening on ${host}:${config.port} (data in ${opts.dataDir})`);

    const openTopics = topics;
    const openOffsets = offsets;
    let closing: Promise<void> | null = null;
    return {
      host,
      port: config.port,
      bootstrap: `${host}:${config.port}`,
      get parkedFetches() {
        return state.parkedFetches;
      },
      async createTopic(name, partitions) {
        const existing = openTopics.get(name);
        if (existing) {
          if (existing.partitions.length === partitions) return;
          throw new Error(`topic ${name} exists with ${existing.partitions.length} partitions, not ${partitions}`);
        }
        await openTopics.create(name, partitions);
      },
      close() {
        closing ??= (async () => {
          state.closing = true;
          const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
          for (const c of [...connections]) c.close();
          for (const fn of [...closeListeners]) fn();
          coordinator.shutdown();
          await openTopics.close();
          await openOffsets.close();
          await metaChain;
          await serverClosed;
          fs.rmSync(lock, { force: true });
          log('kafka broker closed');
        })();
        return closing;
      },
    };
  } catch (err) {
    await topics?.close().catch(() => undefined);
    await offsets?.close().catch(() => undefined);
    fs.rmSync(lock, { force: true });
    throw err;
  }
}
