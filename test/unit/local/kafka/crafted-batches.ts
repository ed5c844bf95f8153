/**
 * Hand-built record batches (magic 2) for hostile-input tests: every field can be made to lie.
 * The CRC-32C comes from kafkajs' own implementation, so the batches are independent of the
 * broker's code, and a lie in a field is not caught by the CRC.
 */
import { gzipSync } from 'node:zlib';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const crc32C = require('kafkajs/src/protocol/recordBatch/crc32C') as (b: Buffer) => number;

/** Zig-zag varint, as Kafka's records encode lengths and deltas. */
export function varint(v: number): Buffer {
  let u = v >= 0 ? v * 2 : -v * 2 - 1;
  const out: number[] = [];
  while (u >= 0x80) {
    out.push((u % 0x80) | 0x80);
    u = Math.floor(u / 0x80);
  }
  out.push(u);
  return Buffer.from(out);
}

export interface RecordSpec {
  offsetDelta?: number;
  key?: Buffer | null;
  value?: Buffer | null;
  headers?: [string, Buffer | null][];
  /** Replaces the record's true length varint. */
  lengthLie?: number;
}

/** One record: length varint, then attributes, timestampDelta, offsetDelta, key, value, headers. */
export function record(spec: RecordSpec, index = 0): Buffer {
  const bytes = (b: Buffer | null | undefined) => (b == null ? varint(-1) : Buffer.concat([varint(b.length), b]));
  const headers = spec.headers ?? [];
  const body = Buffer.concat([
    Buffer.from([0]),
    varint(0),
    varint(spec.offsetDelta ?? index),
    bytes(spec.key),
    bytes(spec.value === undefined ? Buffer.from('v') : spec.value),
    varint(headers.length),
    ...headers.map(([k, v]) => Buffer.concat([bytes(Buffer.from(k)), bytes(v)])),
  ]);
  return Buffer.concat([varint(spec.lengthLie ?? body.length), body]);
}

export interface BatchSpec {
  /** Raw bytes after the 61-byte header (records, or their gzip). */
  body: Buffer;
  recordsCount: number;
  lastOffsetDelta?: number;
  gzip?: boolean;
}

/** A batch with a correct CRC around whatever the spec says. */
export function batch(spec: BatchSpec): Buffer {
  const h = Buffer.alloc(61);
  h.writeBigInt64BE(0n, 0);
  h.writeInt32BE(61 - 12 + spec.body.length, 8);
  h.writeInt32BE(0, 12);
  h.writeInt8(2, 16);
  h.writeInt16BE(spec.gzip ? 1 : 0, 21);
  h.writeInt32BE(spec.lastOffsetDelta ?? spec.recordsCount - 1, 23);
  h.writeBigInt64BE(1_700_000_000_000n, 27);
  h.writeBigInt64BE(1_700_000_000_000n, 35);
  h.writeBigInt64BE(-1n, 43);
  h.writeInt16BE(-1, 51);
  h.writeInt32BE(-1, 53);
  h.writeInt32BE(spec.recordsCount, 57);
  const out = Buffer.concat([h, spec.body]);
  out.writeUInt32BE(crc32C(out.subarray(21)) >>> 0, 17);
  return out;
}

/** A record made of these fields, prefixed with their true length. */
export function rawRecord(...fields: Buffer[]): Buffer {
  const body = Buffer.concat(fields);
  return Buffer.concat([varint(body.length), body]);
}

/** An honest batch of these values. */
export function honest(values: string[]): Buffer {
  return batch({ body: Buffer.concat(values.map((v, i) => record({ value: Buffer.from(v) }, i))), recordsCount: values.length });
}

/** A gzip batch of one record whose value is `size` zero bytes: ~1000:1, a gzip bomb when large. */
export function gzipBomb(size: number): Buffer {
  return batch({ body: gzipSync(record({ value: Buffer.alloc(size) }), { level: 9 }), recordsCount: 1, gzip: true });
}

let bomb: Buffer | undefined;

/** The crafted batches every layer must refuse, with the Kafka error code each gets. */
export function hostileBatches(): { what: string; batch: Buffer; code: number }[] {
  bomb ??= gzipBomb(64 * 1024 * 1024);
  const one = record({ value: Buffer.from('x') });
  return [
    { what: 'record count that overflows (2^31-1 claimed, 1 present)', batch: batch({ body: one, recordsCount: 0x7fffffff }), code: 87 },
    { what: 'record count below the records present', batch: batch({ body: Buffer.concat([one, record({}, 1)]), recordsCount: 1 }), code: 2 },
    { what: 'offset delta that overflows int32', batch: batch({ body: record({ offsetDelta: 0x7fffffff }), recordsCount: 1 }), code: 87 },
    { what: 'record length varint past the batch', batch: batch({ body: record({ value: Buffer.from('x'), lengthLie: 1_000_000 }), recordsCount: 1 }), code: 2 },
    {
      what: 'value length varint past its record',
      batch: batch({ body: rawRecord(Buffer.from([0]), varint(0), varint(0), varint(-1), varint(500), Buffer.from('ab'), varint(0)), recordsCount: 1 }),
      code: 2,
    },
    {
      what: 'key length below -1',
      batch: batch({ body: rawRecord(Buffer.from([0]), varint(0), varint(0), varint(-7), varint(-1), varint(0)), recordsCount: 1 }),
      code: 2,
    },
    {
      what: 'header count beyond the record',
      batch: batch({ body: rawRecord(Buffer.from([0]), varint(0), varint(0), varint(-1), varint(-1), varint(1_000_000)), recordsCount: 1 }),
      code: 2,
    },
    {
      what: 'varint that never ends',
      batch: batch({ body: Buffer.concat([Buffer.alloc(9, 0xff), Buffer.from([0x01])]), recordsCount: 1 }),
      code: 2,
    },
    { what: 'gzip bomb (64 MiB of zeros in ~64 KiB)', batch: bomb, code: 10 },
    { what: 'gzip batch that is not gzip', batch: batch({ body: Buffer.from('not gzip at all'), recordsCount: 1, gzip: true }), code: 2 },
  ];
}
