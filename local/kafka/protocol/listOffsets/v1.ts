/**
 * ListOffsets v1 (one offset per partition, with its timestamp; librdkafka's OffsetTime
 * feature needs v1).
 *
 * ListOffsets Request (Version: 1) => replica_id [topics]
 *   replica_id => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index timestamp
 *       partition_index => INT32
 *       timestamp => INT64
 *
 * ListOffsets Response (Version: 1) => [topics]
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index error_code timestamp offset
 *       partition_index => INT32
 *       error_code => INT16
 *       timestamp => INT64
 *       offset => INT64
 */
import { codec } from '../codec';
import type { ListOffsetsRequest, ListOffsetsResponse } from './types';

export default codec<ListOffsetsRequest, ListOffsetsResponse>({
  apiKey: 2,
  version: 1,
  decodeRequest: (r) => {
    const replicaId = r.int32();
    const topics = r.array((r) => ({
      name: r.string(),
      partitions: r.array((r) => ({ partitionIndex: r.int32(), timestamp: r.int64() })),
    }));
    return { replicaId, topics };
  },
  encodeResponse: (w, res) => {
    w.array(res.topics, (w, t) => {
      w.string(t.name);
      w.array(t.partitions, (w, p) => {
        w.int32(p.partitionIndex).int16(p.errorCode).int64(p.timestamp).int64(p.offset);
      });
    });
  },
});
