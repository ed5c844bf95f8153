/** Record batch validation and decoding, on batches built by kafkajs' own encoder. */
import { crc32c } from '../../../../local/kafka/crc32c';
import { ErrorCode } from '../../../../local/kafka/errors';
import { decodeRecords, splitAndValidateBatches } from '../../../../local/kafka/protocol/records';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: (o: object) => Promise<{ buffer: Buffer }> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (o: object) => unknown;

async function batch(values: string[], compression = 0): Promise<Buffer> {
  const records = values.map((v, i) => Record({ offsetDelta: i, timestampDelta: i * 10, key: Buffer.from(`k${i}`), value: Buffer.from(v), headers: { h: 'x' } }));
  return (await RecordBatch({ records, compression, lastOffsetDelta: values.length - 1, firstTimestamp: 1000, maxTimestamp: 1000 + 10 * (values.length - 1) })).buffer;
}

/** Rewrites attributes and recomputes the CRC, as a client would. */
function withAttributes(b: Buffer, attributes: number): Buffer {
  const c = Buffer.from(b);
  c.writeInt16BE(attributes, 21);
  c.writeUInt32BE(crc32c(c, 21, c.length), 17);
  return c;
}

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: number }).code;
  }
}

test('uncompressed and gzip batches validate and decode, two batches in one record set', async () => {
  const plain = await batch(['a', 'b', 'c']);
  const gz = await batch(['zipped'], 1);
  const set = Buffer.concat([plain, gz]);
  const infos = splitAndValidateBatches(set, { maxBatchBytes: 1 << 20 });
  expect(infos.map((i) => [i.position, i.recordsCount, i.lastOffsetDelta, i.attributes & 7])).toEqual([
    [0, 3, 2, 0],
    [plain.length, 1, 0, 1],
  ]);
  const recs = decodeRecords(plain);
  expect(recs.map((r) => [r.offset, r.timestamp, r.key?.toString(), r.value?.toString()])).toEqual([
    [0, 1000, 'k0', 'a'],
    [1, 1010, 'k1', 'b'],
    [2, 1020, 'k2', 'c'],
  ]);
  expect(recs[0].headers).toEqual([{ key: 'h', value: Buffer.from('x') }]);
  expect(decodeRecords(gz)[0].value?.toString()).toBe('zipped');
});

test('errors map to the codes Kafka answers with', async () => {
  const good = await batch(['payload']);
  const flipped = Buffer.from(good);
  flipped[flipped.length - 1] ^= 1;
  expect(codeOf(() => splitAndValidateBatches(flipped, { maxBatchBytes: 1 << 20 }))).toBe(ErrorCode.CORRUPT_MESSAGE);
  expect(codeOf(() => splitAndValidateBatches(good.subarray(0, good.length - 3), { maxBatchBytes: 1 << 20 }))).toBe(ErrorCode.CORRUPT_MESSAGE);
  expect(codeOf(() => splitAndValidateBatches(good, { maxBatchBytes: good.length - 1 }))).toBe(ErrorCode.MESSAGE_TOO_LARGE);
  for (const codec of [2, 3, 4]) {
    expect(codeOf(() => splitAndValidateBatches(withAttributes(good, codec), { maxBatchBytes: 1 << 20 }))).toBe(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
  }
  expect(codeOf(() => splitAndValidateBatches(withAttributes(good, 0x10), { maxBatchBytes: 1 << 20 }))).toBe(ErrorCode.INVALID_TXN_STATE);
  const magic1 = Buffer.from(good);
  magic1[16] = 1;
  expect(codeOf(() => splitAndValidateBatches(magic1, { maxBatchBytes: 1 << 20 }))).toBe(ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT);
  expect(codeOf(() => splitAndValidateBatches(good, { maxBatchBytes: 1 << 20 }))).toBeUndefined();
});
