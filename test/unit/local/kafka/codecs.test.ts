/** Golden bytes for a selection of codecs (hand-assembled from the protocol guide's grammars). */
import { MalformedRequestError } from '../../../../local/kafka/errors';
import apiVersionsV0 from '../../../../local/kafka/protocol/apiVersions/v0';
import apiVersionsV2 from '../../../../local/kafka/protocol/apiVersions/v2';
import type { Codec } from '../../../../local/kafka/protocol/codec';
import fetchV4 from '../../../../local/kafka/protocol/fetch/v4';
import heartbeatV0 from '../../../../local/kafka/protocol/heartbeat/v0';
import joinGroupV0 from '../../../../local/kafka/protocol/joinGroup/v0';
import joinGroupV1 from '../../../../local/kafka/protocol/joinGroup/v1';
import metadataV4 from '../../../../local/kafka/protocol/metadata/v4';
import offsetCommitV2 from '../../../../local/kafka/protocol/offsetCommit/v2';
import offsetFetchV1 from '../../../../local/kafka/protocol/offsetFetch/v1';
import produceV3 from '../../../../local/kafka/protocol/produce/v3';
import { Reader } from '../../../../local/kafka/protocol/reader';
import { Writer } from '../../../../local/kafka/protocol/writer';

/** Hex with spaces and | separators allowed, for readable golden bytes. */
function hex(s: string): Buffer {
  return Buffer.from(s.replace(/[\s|]/g, ''), 'hex');
}
function decode<Req>(c: Codec<Req, unknown>, bytes: Buffer): Req {
  const r = new Reader(bytes);
  const req = c.decodeRequest(r);
  expect(r.remaining).toBe(0);
  return req;
}
function encode<Res>(c: Codec<unknown, Res>, res: Res): string {
  const w = new Writer();
  c.encodeResponse(w, res);
  return w.toBuffer().toString('hex');
}

test('ApiVersions v0 and v2 responses', () => {
  const res = { errorCode: 0, apiKeys: [{ apiKey: 0, minVersion: 3, maxVersion: 3 }, { apiKey: 18, minVersion: 0, maxVersion: 2 }], throttleTimeMs: 7 };
  expect(encode(apiVersionsV0, res)).toBe(hex('0000 | 00000002 | 0000 0003 0003 | 0012 0000 0002').toString('hex'));
  expect(encode(apiVersionsV2, res)).toBe(hex('0000 | 00000002 | 0000 0003 0003 | 0012 0000 0002 | 00000007').toString('hex'));
});

test('Metadata v4 request (named and null topic lists) and response', () => {
  expect(decode(metadataV4, hex('00000001 | 0002 6162 | 01'))).toEqual({ topics: ['ab'], allowAutoTopicCreation: true });
  expect(decode(metadataV4, hex('ffffffff | 00'))).toEqual({ topics: null, allowAutoTopicCreation: false });
  const res = {
    throttleTimeMs: 0,
    brokers: [{ nodeId: 0, host: 'h', port: 9092, rack: null }],
    clusterId: 'c',
    controllerId: 0,
    topics: [{ errorCode: 0, name: 't', isInternal: false, partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 0, replicaNodes: [0], isrNodes: [0] }] }],
  };
  expect(encode(metadataV4, res)).toBe(
    hex(`00000000 | 00000001 | 00000000 0001 68 00002384 ffff | 0001 63 | 00000000 |
         00000001 | 0000 0001 74 00 | 00000001 | 0000 00000000 00000000 | 00000001 00000000 | 00000001 00000000`).toString('hex'),
  );
});

test('Heartbeat v0', () => {
  expect(decode(heartbeatV0, hex('0001 67 | 00000005 | 0002 6d31'))).toEqual({ groupId: 'g', generationId: 5, memberId: 'm1' });
  expect(encode(heartbeatV0, { errorCode: 27 })).toBe('001b');
});

test('JoinGroup v0 and v1 requests, and the shared response', () => {
  const tail = '0000 | 0008 636f6e73756d6572 | 00000001 | 0002 7272 | 00000002 0102';
  const expected = { groupId: 'g', sessionTimeoutMs: 30000, memberId: '', protocolType: 'consumer', protocols: [{ name: 'rr', metadata: Buffer.from([1, 2]) }] };
  expect(decode(joinGroupV0, hex(`0001 67 | 00007530 | ${tail}`))).toEqual({ ...expected, rebalanceTimeoutMs: 30000 });
  expect(decode(joinGroupV1, hex(`0001 67 | 00007530 | 0000ea60 | ${tail}`))).toEqual({ ...expected, rebalanceTimeoutMs: 60000 });
  const res = { errorCode: 0, generationId: 1, protocolName: 'rr', leader: 'm', memberId: 'm', members: [{ memberId: 'm', metadata: Buffer.from([1]) }] };
  expect(encode(joinGroupV1, res)).toBe(hex('0000 | 00000001 | 0002 7272 | 0001 6d | 0001 6d | 00000001 | 0001 6d 00000001 01').toString('hex'));
});

test('Produce v3 request (records kept as a slice) and response', () => {
  const req = decode(produceV3, hex('ffff | ffff | 000003e8 | 00000001 | 0001 74 | 00000001 | 00000000 | 00000003 0a0b0c'));
  expect(req).toEqual({ transactionalId: null, acks: -1, timeoutMs: 1000, topics: [{ name: 't', partitions: [{ index: 0, records: hex('0a0b0c') }] }] });
  const res = { topics: [{ name: 't', partitions: [{ index: 0, errorCode: 0, baseOffset: 5, logAppendTimeMs: -1 }] }], throttleTimeMs: 0 };
  expect(encode(produceV3, res)).toBe(hex('00000001 | 0001 74 | 00000001 | 00000000 0000 0000000000000005 ffffffffffffffff | 00000000').toString('hex'));
});

test('Fetch v4 request and response (stored batches appended as they are)', () => {
  const req = decode(fetchV4, hex('ffffffff | 000001f4 | 00000001 | 00100000 | 01 | 00000001 | 0001 74 | 00000001 | 00000002 0000000000000010 00010000'));
  expect(req).toEqual({
    replicaId: -1,
    maxWaitMs: 500,
    minBytes: 1,
    maxBytes: 1048576,
    isolationLevel: 1,
    topics: [{ topic: 't', partitions: [{ partition: 2, fetchOffset: 16, partitionMaxBytes: 65536 }] }],
  });
  const res = {
    throttleTimeMs: 0,
    topics: [{ topic: 't', partitions: [{ partitionIndex: 0, errorCode: 0, highWatermark: 7, lastStableOffset: 7, abortedTransactions: null, records: [Buffer.from('abc'), Buffer.from('de')] }] }],
  };
  expect(encode(fetchV4, res)).toBe(
    hex('00000000 | 00000001 | 0001 74 | 00000001 | 00000000 0000 0000000000000007 0000000000000007 | ffffffff | 00000005 6162636465').toString('hex'),
  );
});

test('OffsetCommit v2 request and OffsetFetch v1 response', () => {
  const req = decode(offsetCommitV2, hex('0001 67 | 00000003 | 0001 6d | ffffffffffffffff | 00000001 | 0001 74 | 00000001 | 00000000 000000000000002a ffff'));
  expect(req).toEqual({
    groupId: 'g',
    generationId: 3,
    memberId: 'm',
    retentionTimeMs: -1,
    topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 42, committedMetadata: null }] }],
  });
  const res = { topics: [{ name: 't', partitions: [{ partitionIndex: 1, committedOffset: -1, metadata: '', errorCode: 0 }] }] };
  expect(encode(offsetFetchV1, res)).toBe(hex('00000001 | 0001 74 | 00000001 | 00000001 ffffffffffffffff 0000 0000').toString('hex'));
});

test('int64 values round-trip, including negatives and values past 2^32', () => {
  const w = new Writer();
  for (const v of [-1, -2, 0, 2 ** 40 + 5, Number.MAX_SAFE_INTEGER]) w.int64(v);
  const buf = w.toBuffer();
  expect(buf.subarray(8, 16).toString('hex')).toBe('fffffffffffffffe');
  expect(buf.subarray(24, 32).toString('hex')).toBe('0000010000000005');
  const r = new Reader(buf);
  expect([r.int64(), r.int64(), r.int64(), r.int64(), r.int64()]).toEqual([-1, -2, 0, 2 ** 40 + 5, Number.MAX_SAFE_INTEGER]);
});

test('truncated or lying input throws MalformedRequestError', () => {
  expect(() => decode(heartbeatV0, hex('0005 6767'))).toThrow(MalformedRequestError); // string longer than the input
  expect(() => decode(metadataV4, hex('7fffffff 00'))).toThrow(MalformedRequestError); // array count beyond the input
  expect(() => decode(metadataV4, hex('fffffffe 00'))).toThrow(MalformedRequestError); // negative count other than -1
  expect(() => decode(produceV3, hex('ffff ffff 000003e8 00000001 0001 74 00000001 00000000 00000009 0a'))).toThrow(MalformedRequestError);
});
