/**
 * CreateTopics v0.
 *
 * CreateTopics Request (Version: 0) => [topics] timeout_ms
 *   topics => name num_partitions replication_factor [assignments] [configs]
 *     name => STRING
 *     num_partitions => INT32
 *     replication_factor => INT16
 *     assignments => partition_index [broker_ids]
 *       partition_index => INT32
 *       broker_ids => INT32
 *     configs => name value
 *       name => STRING
 *       value => NULLABLE_STRING
 *   timeout_ms => INT32
 *
 * CreateTopics Response (Version: 0) => [topics]
 *   topics => name error_code
 *     name => STRING
 *     error_code => INT16
 */
import { codec } from '../codec';
import type { CreateTopicsRequest, CreateTopicsResponse } from './types';

export default codec<CreateTopicsRequest, CreateTopicsResponse>({
  apiKey: 19,
  version: 0,
  decodeRequest: (r) => {
    const topics = r.array((r) => ({
      name: r.string(),
      numPartitions: r.int32(),
      replicationFactor: r.int16(),
      assignments: r.array((r) => ({ partitionIndex: r.int32(), brokerIds: r.array((r) => r.int32()) })),
      configs: r.array((r) => ({ name: r.string(), value: r.nullableString() })),
    }));
    const timeoutMs = r.int32();
    return { topics, timeoutMs };
  },
  encodeResponse: (w, res) => {
    w.array(res.topics, (w, t) => {
      w.string(t.name).int16(t.errorCode);
    });
  },
});
