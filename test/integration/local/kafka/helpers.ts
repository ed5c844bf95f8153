/** Shared setup for the Kafka broker integration tests: a broker on an ephemeral port in a temp dir, clients, raw frames. */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, Partitioners, type ProducerConfig } from 'kafkajs';
import { createKafkaBroker, type KafkaBroker, type KafkaBrokerOptions } from '../../../../local/kafka';
import { eventually } from '../../../support/poll';

export interface TestBroker {
  broker: KafkaBroker;
  dataDir: string;
  logs: string[];
  /** Closes and reopens the broker on the same data dir and port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startBroker(opts: Partial<KafkaBrokerOptions> = {}): Promise<TestBroker> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-test-'));
  const logs: string[] = [];
  const make = (port: number) => createKafkaBroker({ ...opts, dataDir, port, log: (m) => logs.push(m) });
  const t: TestBroker = {
    broker: await make(opts.port ?? 0),
    dataDir,
    logs,
    async restart() {
      const port = t.broker.port;
      await t.broker.close();
      t.broker = await make(port);
    },
    async stop() {
      await t.broker.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

export function client(b: TestBroker | KafkaBroker, clientId = 'test'): Kafka {
  const bootstrap = 'broker' in b ? b.broker.bootstrap : b.bootstrap;
  return new Kafka({ clientId, brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 100 } });
}

export function producerConfig(extra: ProducerConfig = {}): ProducerConfig {
  return { createPartitioner: Partitioners.DefaultPartitioner, ...extra };
}

export function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  return eventually(what, async () => (await check()) || undefined, { timeoutMs, intervalMs: 20 });
}

// ---- raw protocol frames (hand-built, independent of the broker's codecs) -------------------

export function str(s: string | null): Buffer {
  if (s === null) return Buffer.from([0xff, 0xff]);
  const b = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(2);
  len.writeInt16BE(b.length);
  return Buffer.concat([len, b]);
}
export function i8(v: number): Buffer {
  const b = Buffer.alloc(1);
  b.writeInt8(v);
  return b;
}
export function i16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(v);
  return b;
}
export function i32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
}
export function i64(v: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(v));
  return b;
}

/** A size-prefixed request frame with header v1. */
export function requestFrame(apiKey: number, version: number, correlationId: number, body: Buffer): Buffer {
  const payload = Buffer.concat([i16(apiKey), i16(version), i32(correlationId), str('raw-test'), body]);
  return Buffer.concat([i32(payload.length), payload]);
}

/** A one-partition (partition 0) Produce v3 request carrying `records`. */
export function produceV3(correlationId: number, acks: number, topic: string, records: Buffer): Buffer {
  const body = Buffer.concat([str(null), i16(acks), i32(5000), i32(1), str(topic), i32(1), i32(0), i32(records.length), records]);
  return requestFrame(0, 3, correlationId, body);
}

/** partition error code and base offset of a one-partition Produce v3 response. */
export function produceResult(frame: Buffer): { errorCode: number; baseOffset: number } {
  // corr(4) topics(4) name(2+n) partitions(4) index(4) error(2) base_offset(8)
  const nameLen = frame.readInt16BE(8);
  const at = 10 + nameLen + 4 + 4;
  return { errorCode: frame.readInt16BE(at), baseOffset: Number(frame.readBigInt64BE(at + 2)) };
}

/** A raw TCP connection that collects response frames and notices being closed. */
export class RawClient {
  readonly socket: net.Socket;
  private buf = Buffer.alloc(0);
  private readonly frames: Buffer[] = [];
  private waiters: (() => void)[] = [];
  closed = false;
  readonly ready: Promise<void>;

  constructor(port: number) {
    this.socket = net.connect(port, '127.0.0.1');
    this.ready = new Promise((res, rej) => {
      this.socket.once('connect', () => res());
      this.socket.once('error', rej);
    });
    this.socket.on('error', () => undefined);
    this.socket.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      while (this.buf.length >= 4 && this.buf.length >= 4 + this.buf.readInt32BE(0)) {
        const n = this.buf.readInt32BE(0);
        this.frames.push(this.buf.subarray(4, 4 + n));
        this.buf = this.buf.subarray(4 + n);
      }
      this.wake();
    });
    this.socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  send(frame: Buffer): void {
    this.socket.write(frame);
  }

  /** Next response frame (correlation id first), or null if the connection closed. */
  async next(timeoutMs = 10_000): Promise<Buffer | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0 && !this.closed) {
      if (Date.now() > deadline) throw new Error('no response');
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return this.frames.shift() ?? null;
  }

  async waitClosed(timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return this.closed;
  }

  destroy(): void {
    this.socket.destroy();
  }
}
