/**
 * Record batches (message format v2, "magic 2"), the unit the broker stores and serves.
 *
 * RecordBatch =>
 *   baseOffset: INT64            @0   (rewritten by the broker on append)
 *   batchLength: INT32           @8   (bytes from partitionLeaderEpoch to the end)
 *   partitionLeaderEpoch: INT32  @12
 *   magic: INT8                  @16  (2)
 *   crc: UINT32                  @17  (CRC-32C of attributes..end)
 *   attributes: INT16            @21  (bits 0-2 codec, 3 timestamp type, 4 transactional, 5 control)
 *   lastOffsetDelta: INT32       @23
 *   baseTimestamp: INT64         @27
 *   maxTimestamp: INT64          @35
 *   producerId: INT64            @43
 *   producerEpoch: INT16         @51
 *   baseSequence: INT32          @53
 *   recordsCount: INT32          @57
 *   records                      @61
 *
 * Record => length:varint attributes:int8 timestampDelta:varlong offsetDelta:varint
 *           keyLength:varint key valueLength:varint value headersCount:varint [Header]
 * Header => keyLength:varint key valueLength:varint value
 *
 * On produce the broker checks the header and CRC, then walks the records (decompressing a
 * gzip batch with a bound on its output) without building them: every length must stay inside
 * the batch, the count must be the number of records there, and each record's offsetDelta its
 * index, because a consumer trusts exactly these fields. Only then does it rewrite baseOffset
 * and store the bytes. The fetch path never decodes records. decodeRecords() exists for
 * timestamp lookups and tests.
 *
 * How a lying batch is answered (Kafka's codes; kafkajs treats 2 as retriable, 10 and 87 not):
 * - a length or varint that runs past its record or batch, trailing bytes, a gzip stream that
 *   does not inflate: CORRUPT_MESSAGE (2), as Kafka's "premature EOF" / "invalid record size";
 * - a record count or an offset delta that disagrees with the records: INVALID_RECORD (87);
 * - a gzip batch inflating past `maxUncompressedBytes` (a gzip bomb): MESSAGE_TOO_LARGE (10).
 */
import { gunzipSync } from 'node:zlib';
import { crc32c } from '../crc32c';
import { ErrorCode, KafkaProtocolError } from '../errors';
import { Reader } from './reader';

export const BATCH_HEADER_SIZE = 61;
/** Bytes needed to know a batch's offset and length. */
export const LOG_OVERHEAD = 12;

export const Compression = { NONE: 0, GZIP: 1, SNAPPY: 2, LZ4: 3, ZSTD: 4 } as const;

export interface BatchInfo {
  /** Position of the batch in the buffer it was read from. */
  position: number;
  size: number;
  baseOffset: number;
  lastOffsetDelta: number;
  attributes: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
}

export function readInt64(buf: Buffer, at: number): number {
  return buf.readInt32BE(at) * 4294967296 + buf.readUInt32BE(at + 4);
}

export function writeInt64(buf: Buffer, at: number, v: number): void {
  const hi = Math.floor(v / 4294967296);
  buf.writeInt32BE(hi, at);
  buf.writeUInt32BE(v - hi * 4294967296, at + 4);
}

/** Total size of the batch starting at `at`, or -1 when fewer than 12 bytes remain. */
export function batchSizeAt(buf: Buffer, at: number, end = buf.length): number {
  if (end - at < LOG_OVERHEAD) return -1;
  return LOG_OVERHEAD + buf.readInt32BE(at + 8);
}

export function batchInfoAt(buf: Buffer, at: number): BatchInfo {
  return {
    position: at,
    size: LOG_OVERHEAD + buf.readInt32BE(at + 8),
    baseOffset: readInt64(buf, at),
    attributes: buf.readInt16BE(at + 21),
    lastOffsetDelta: buf.readInt32BE(at + 23),
    baseTimestamp: readInt64(buf, at + 27),
    maxTimestamp: readInt64(buf, at + 35),
    producerId: readInt64(buf, at + 43),
    producerEpoch: buf.readInt16BE(at + 51),
    baseSequence: buf.readInt32BE(at + 53),
    recordsCount: buf.readInt32BE(at + 57),
  };
}

export interface ValidateOptions {
  maxBatchBytes: number;
  /** Bound on a gzip batch's inflated records. Default DEFAULT_MAX_UNCOMPRESSED_BYTES. */
  maxUncompressedBytes?: number;
}

/** Default bound on a gzip batch's inflated records (gzip inflates up to ~1000:1). */
export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 16 * 1024 * 1024;

/**
 * Splits a produce request's record set into batches and validates each: framing, magic,
 * CRC-32C, codec, offsets. Throws KafkaProtocolError with the code Kafka would answer.
 */
export function splitAndValidateBatches(records: Buffer, opts: ValidateOptions): BatchInfo[] {
  const out: BatchInfo[] = [];
  let at = 0;
  if (records.length === 0) throw new KafkaProtocolError(ErrorCode.CORRUPT_MESSAGE, 'empty record set');
  while (at < records.length) {
    const size = batchSizeAt(records, at);
    if (size < BATCH_HEADER_SIZE || at + size > records.length) {
      throw new KafkaProtocolError(ErrorCode.CORRUPT_MESSAGE, `record batch at ${at} has a bad length`);
    }
    const magic = records.readInt8(at + 16);
    if (magic !== 2) {
      throw new KafkaProtocolError(ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT, `message format magic ${magic} (only 2 is stored)`);
    }
    if (size > opts.maxBatchBytes) {
      throw new KafkaProtocolError(ErrorCode.MESSAGE_TOO_LARGE, `record batch of ${size} bytes exceeds ${opts.maxBatchBytes}`);
    }
    const crc = records.readUInt32BE(at + 17);
    if (crc32c(records, at + 21, at + size) !== crc) {
      throw new KafkaProtocolError(ErrorCode.CORRUPT_MESSAGE, `record batch at ${at} fails its CRC-32C`);
    }
    const info = batchInfoAt(records, at);
    const codec = info.attributes & 0x7;
    if (codec !== Compression.NONE && codec !== Compression.GZIP) {
      throw new KafkaProtocolError(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, `compression codec ${codec} is not supported (none, gzip are)`);
    }
    if (info.attributes & 0x10 || info.attributes & 0x20) {
      throw new KafkaProtocolError(ErrorCode.INVALID_TXN_STATE, 'transactional and control batches are not supported');
    }
    if (info.recordsCount <= 0 || info.lastOffsetDelta !== info.recordsCount - 1) {
      throw new KafkaProtocolError(ErrorCode.INVALID_RECORD, `batch record count ${info.recordsCount} / last offset delta ${info.lastOffsetDelta} mismatch`);
    }
    if (codec === Compression.NONE) walkRecords(records, at + BATCH_HEADER_SIZE, at + size, info.recordsCount);
    else {
      const body = inflate(records.subarray(at + BATCH_HEADER_SIZE, at + size), opts.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES);
      walkRecords(body, 0, body.length, info.recordsCount);
    }
    out.push(info);
    at += size;
  }
  return out;
}

/**
 * Inflates a gzip batch's records, at most `max` bytes of them. Synchronously, on purpose: the
 * produce handler assigns offsets in the order requests arrive, and an asynchronous inflate
 * would let a later request of the same producer overtake this one. The bound keeps the pause
 * short (16 MiB inflate in a few tens of ms).
 */
function inflate(gz: Buffer, max: number): Buffer {
  try {
    return gunzipSync(gz, { maxOutputLength: max });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new KafkaProtocolError(ErrorCode.MESSAGE_TOO_LARGE, `gzip batch inflates past ${max} bytes`);
    }
    throw new KafkaProtocolError(ErrorCode.CORRUPT_MESSAGE, `gzip batch does not inflate: ${(err as Error).message}`);
  }
}

/** Smallest record: length, attributes, timestampDelta, offsetDelta, key, value, headers (1 byte each). */
const MIN_RECORD_BYTES = 7;

/**
 * Walks `count` records in buf[start, end) checking every length against its bounds, without
 * building them (hand-written rather than Reader so that every failure carries a Kafka code
 * and varints are held to the 5/10 bytes of int32/int64).
 */
export function walkRecords(buf: Buffer, start: number, end: number, count: number): void {
  if (count > (end - start) / MIN_RECORD_BYTES) {
    throw new KafkaProtocolError(ErrorCode.INVALID_RECORD, `batch claims ${count} records in ${end - start} bytes`);
  }
  let at = start;
  const corrupt = (what: string): never => {
    throw new KafkaProtocolError(ErrorCode.CORRUPT_MESSAGE, `record ${what}`);
  };
  const varint = (limit: number, maxBytes: number): number => {
    if (at >= limit) corrupt(`varint at ${at} runs past its end`);
    let b = buf[at++];
    if (b < 0x80) return b & 1 ? -(b + 1) / 2 : b / 2; // one byte: most lengths and deltas
    let u = b & 0x7f;
    let scale = 0x80;
    for (let i = 1; i < maxBytes; i++) {
      if (at >= limit) corrupt(`varint at ${at} runs past its end`);
      b = buf[at++];
      u += (b & 0x7f) * scale;
      if (b < 0x80) return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
      scale *= 0x80;
    }
    return corrupt(`varint at ${at} is longer than ${maxBytes} bytes`);
  };
  for (let i = 0; i < count; i++) {
    const len = varint(end, 5);
    if (len < MIN_RECORD_BYTES - 1 || at + len > end) corrupt(`${i} has length ${len} with ${end - at} bytes left`);
    const recEnd = at + len;
    at++; // attributes
    varint(recEnd, 10); // timestampDelta
    const offsetDelta = varint(recEnd, 5);
    if (offsetDelta !== i) throw new KafkaProtocolError(ErrorCode.INVALID_RECORD, `record ${i} has offset delta ${offsetDelta}`);
    for (const field of ['key', 'value']) {
      const n = varint(recEnd, 5);
      if (n < -1 || at + n > recEnd) corrupt(`${i} ${field} length ${n} with ${recEnd - at} bytes left`);
      if (n > 0) at += n;
    }
    const headers = varint(recEnd, 5);
    if (headers < 0 || headers > (recEnd - at) / 2) corrupt(`${i} header count ${headers}`);
    for (let h = 0; h < headers; h++) {
      const kl = varint(recEnd, 5);
      if (kl < 0 || at + kl > recEnd) corrupt(`${i} header key length ${kl}`);
      at += kl;
      const vl = varint(recEnd, 5);
      if (vl < -1 || at + vl > recEnd) corrupt(`${i} header value length ${vl}`);
      if (vl > 0) at += vl;
    }
    if (at !== recEnd) corrupt(`${i} declares ${len} bytes but its fields take ${len - (recEnd - at)}`);
  }
  if (at !== end) corrupt(`s end at ${at - start} of ${end - start} bytes: trailing bytes after the declared count`);
}

export interface DecodedRecord {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: { key: string; value: Buffer | null }[];
}

/** Decodes the records of one stored batch (gzip or uncompressed). */
export function decodeRecords(batch: Buffer, maxUncompressedBytes = DEFAULT_MAX_UNCOMPRESSED_BYTES): DecodedRecord[] {
  const info = batchInfoAt(batch, 0);
  const codec = info.attributes & 0x7;
  let body = batch.subarray(BATCH_HEADER_SIZE, info.size);
  if (codec === Compression.GZIP) body = gunzipSync(body, { maxOutputLength: maxUncompressedBytes });
  else if (codec !== Compression.NONE) throw new Error(`cannot decode codec ${codec}`);
  const r = new Reader(body);
  const out: DecodedRecord[] = [];
  for (let i = 0; i < info.recordsCount; i++) {
    const len = r.varint();
    const end = r.offset + len;
    r.int8();
    const tsDelta = r.varint();
    const offDelta = r.varint();
    const kl = r.varint();
    const key = kl < 0 ? null : body.subarray(r.offset, (r.offset += kl));
    const vl = r.varint();
    const value = vl < 0 ? null : body.subarray(r.offset, (r.offset += vl));
    const hc = r.varint();
    const headers: DecodedRecord['headers'] = [];
    for (let h = 0; h < hc; h++) {
      const hkl = r.varint();
      const hk = body.toString('utf8', r.offset, (r.offset += hkl));
      const hvl = r.varint();
      headers.push({ key: hk, value: hvl < 0 ? null : body.subarray(r.offset, (r.offset += hvl)) });
    }
    r.offset = end;
    out.push({ offset: info.baseOffset + offDelta, timestamp: info.baseTimestamp + tsDelta, key, value, headers });
  }
  return out;
}
