/**
 * Fetch v4: the first version returning record batches of magic 2 with the last stable
 * offset, the lowest librdkafka needs (MsgVer2 feature) and one kafkajs implements.
 *
 * Fetch Request (Version: 4) => replica_id max_wait_ms min_bytes max_bytes isolation_level [topics]
 *   replica_id => INT32
 *   max_wait_ms => INT32
 *   min_bytes => INT32
 *   max_bytes => INT32
 *   isolation_level => INT8
 *   topics => topic [partitions]
 *     topic => STRING
 *     partitions => partition fetch_offset partition_max_bytes
 *       partition => INT32
 *       fetch_offset => INT64
 *       partition_max_bytes => INT32
 *
 * Fetch Response (Version: 4) => throttle_time_ms [responses]
 *   throttle_time_ms => INT32
 *   responses => topic [partitions]
 *     topic => STRING
 *     partitions => partition_index error_code high_watermark last_stable_offset [aborted_transactions] records
 *       partition_index => INT32
 *       error_code => INT16
 *       high_watermark => INT64
 *       last_stable_offset => INT64
 *       aborted_transactions => producer_id first_offset   (nullable array)
 *         producer_id => INT64
 *         first_offset => INT64
 *       records => RECORDS
 */
import { codec } from '../codec';
import type { FetchRequest, FetchResponse } from './types';

export default codec<FetchRequest, FetchResponse>({
  apiKey: 1,
  version: 4,
  decodeRequest: (r) => {
    const replicaId = r.int32();
    const maxWaitMs = r.int32();
    const minBytes = r.int32();
    const maxBytes = r.int32();
    const isolationLevel = r.int8();
    const topics = r.array((r) => ({
      topic: r.string(),
      partitions: r.array((r) => ({ partition: r.int32(), fetchOffset: r.int64(), partitionMaxBytes: r.int32() })),
    }));
    return { replicaId, maxWaitMs, minBytes, maxBytes, isolationLevel, topics };
  },
  encodeResponse: (w, res) => {
    w.int32(res.throttleTimeMs);
    w.array(res.topics, (w, t) => {
      w.string(t.topic);
      w.array(t.partitions, (w, p) => {
        w.int32(p.partitionIndex).int16(p.errorCode).int64(p.highWatermark).int64(p.lastStableOffset);
        w.nullableArray(p.abortedTransactions, (w, a) => {
          w.int64(a.producerId).int64(a.firstOffset);
        });
        w.bytesList(p.records);
      });
    });
  },
});
