/**
 * Produce v3: the first version carrying record batches of magic 2 (the only format this
 * broker stores) and the lowest one librdkafka needs for that (its MsgVer2 feature).
 *
 * Produce Request (Version: 3) => transactional_id acks timeout_ms [topic_data]
 *   transactional_id => NULLABLE_STRING
 *   acks => INT16
 *   timeout_ms => INT32
 *   topic_data => name [partition_data]
 *     name => STRING
 *     partition_data => index records
 *       index => INT32
 *       records => RECORDS   (nullable int32-length bytes: record batches back to back)
 *
 * Produce Response (Version: 3) => [responses] throttle_time_ms
 *   responses => name [partition_responses]
 *     name => STRING
 *     partition_responses => index error_code base_offset log_append_time_ms
 *       index => INT32
 *       error_code => INT16
 *       base_offset => INT64
 *       log_append_time_ms => INT64
 *   throttle_time_ms => INT32
 */
import { codec } from '../codec';
import type { ProduceRequest, ProduceResponse } from './types';

export default codec<ProduceRequest, ProduceResponse>({
  apiKey: 0,
  version: 3,
  decodeRequest: (r) => {
    const transactionalId = r.nullableString();
    const acks = r.int16();
    const timeoutMs = r.int32();
    const topics = r.array((r) => ({
      name: r.string(),
      partitions: r.array((r) => ({ index: r.int32(), records: r.nullableBytes() })),
    }));
    return { transactionalId, acks, timeoutMs, topics };
  },
  encodeResponse: (w, res) => {
    w.array(res.topics, (w, t) => {
      w.string(t.name);
      w.array(t.partitions, (w, p) => {
        w.int32(p.index).int16(p.errorCode).int64(p.baseOffset).int64(p.logAppendTimeMs);
      });
    });
    w.int32(res.throttleTimeMs);
  },
});
