/**
 * OffsetCommit v2 (generation-checked commits with a retention time; librdkafka's balanced
 * consumer feature needs a version in 1..2).
 *
 * OffsetCommit Request (Version: 2) => group_id generation_id member_id retention_time_ms [topics]
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   retention_time_ms => INT64
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset committed_metadata
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_metadata => NULLABLE_STRING
 *
 * OffsetCommit Response (Version: 2) => [topics]
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index error_code
 *       partition_index => INT32
 *       error_code => INT16
 */
import { codec } from '../codec';
import type { OffsetCommitRequest, OffsetCommitResponse } from './types';

export default codec<OffsetCommitRequest, OffsetCommitResponse>({
  apiKey: 8,
  version: 2,
  decodeRequest: (r) => {
    const groupId = r.string();
    const generationId = r.int32();
    const memberId = r.string();
    const retentionTimeMs = r.int64();
    const topics = r.array((r) => ({
      name: r.string(),
      partitions: r.array((r) => ({ partitionIndex: r.int32(), committedOffset: r.int64(), committedMetadata: r.nullableString() })),
    }));
    return { groupId, generationId, memberId, retentionTimeMs, topics };
  },
  encodeResponse: (w, res) => {
    w.array(res.topics, (w, t) => {
      w.string(t.name);
      w.array(t.partitions, (w, p) => {
        w.int32(p.partitionIndex).int16(p.errorCode);
      });
    });
  },
});
