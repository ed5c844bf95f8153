/**
 * OffsetFetch v1 (offsets kept by the broker rather than ZooKeeper; the lowest kafkajs
 * implements and the one librdkafka's balanced consumer feature needs).
 *
 * OffsetFetch Request (Version: 1) => group_id [topics]
 *   group_id => STRING
 *   topics => name [partition_indexes]
 *     name => STRING
 *     partition_indexes => INT32
 *
 * OffsetFetch Response (Version: 1) => [topics]
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset metadata error_code
 *       partition_index => INT32
 *       committed_offset => INT64
 *       metadata => NULLABLE_STRING
 *       error_code => INT16
 */
import { codec } from '../codec';
import type { OffsetFetchRequest, OffsetFetchResponse } from './types';

export default codec<OffsetFetchRequest, OffsetFetchResponse>({
  apiKey: 9,
  version: 1,
  decodeRequest: (r) => {
    const groupId = r.string();
    const topics = r.array((r) => ({ name: r.string(), partitionIndexes: r.array((r) => r.int32()) }));
    return { groupId, topics };
  },
  encodeResponse: (w, res) => {
    w.array(res.topics, (w, t) => {
      w.string(t.name);
      w.array(t.partitions, (w, p) => {
        w.int32(p.partitionIndex).int64(p.committedOffset).nullableString(p.metadata).int16(p.errorCode);
      });
    });
  },
});
