/**
 * Parsing limits of record batches: lies in counts, offset deltas, varint lengths and gzip
 * payloads are refused with Kafka's code before anything is stored (hand-built batches with
 * correct CRCs, see crafted-batches.ts).
 */
import { ErrorCode } from '../../../../local/kafka/errors';
import { decodeRecords, splitAndValidateBatches } from '../../../../local/kafka/protocol/records';
import { batch, gzipBomb, honest, hostileBatches, record } from './crafted-batches';

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: number }).code;
  }
}

const opts = { maxBatchBytes: 1 << 20, maxUncompressedBytes: 16 << 20 };

test('hand-built honest batches pass, plain and gzip, with headers and null keys', () => {
  const plain = honest(['a', 'bb', 'ccc']);
  expect(splitAndValidateBatches(plain, opts).map((b) => b.recordsCount)).toEqual([3]);
  expect(decodeRecords(plain).map((r) => [r.offset, r.value?.toString()])).toEqual([
    [0, 'a'],
    [1, 'bb'],
    [2, 'ccc'],
  ]);
  const withHeaders = batch({ body: record({ key: Buffer.from('k'), headers: [['h', Buffer.from('x')], ['n', null]] }), recordsCount: 1 });
  expect(codeOf(() => splitAndValidateBatches(withHeaders, opts))).toBeUndefined();
  // A gzip batch just under the bound inflates and is walked.
  expect(codeOf(() => splitAndValidateBatches(gzipBomb(1 << 20), { ...opts, maxUncompressedBytes: (1 << 20) + 64 }))).toBeUndefined();
});

test.each(hostileBatches().map((h) => [h.what, h.batch, h.code] as const))('refuses a batch with a %s', (_what, crafted, code) => {
  expect(codeOf(() => splitAndValidateBatches(crafted, opts))).toBe(code);
});

test('a hostile batch after an honest one refuses the whole record set', () => {
  const [countLie] = hostileBatches();
  expect(codeOf(() => splitAndValidateBatches(Buffer.concat([honest(['fine']), countLie.batch]), opts))).toBe(ErrorCode.INVALID_RECORD);
});

test('decodeRecords will not inflate a stored gzip batch past its bound', () => {
  expect(() => decodeRecords(gzipBomb(4 << 20), 1 << 20)).toThrow('Cannot create a Buffer larger than 1048576 bytes');
});
