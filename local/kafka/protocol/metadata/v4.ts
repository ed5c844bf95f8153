/**
 * Metadata v4 (the version both kafkajs and librdkafka settle on when the broker offers it:
 * it is the first with allow_auto_topic_creation, which lets consumers and admins look topics
 * up without creating them).
 *
 * Metadata Request (Version: 4) => [topics] allow_auto_topic_creation
 *   topics => name
 *     name => STRING
 *   allow_auto_topic_creation => BOOLEAN
 *   (topics is a nullable array: null asks for every topic)
 *
 * Metadata Response (Version: 4) => throttle_time_ms [brokers] cluster_id controller_id [topics]
 *   throttle_time_ms => INT32
 *   brokers => node_id host port rack
 *     node_id => INT32
 *     host => STRING
 *     port => INT32
 *     rack => NULLABLE_STRING
 *   cluster_id => NULLABLE_STRING
 *   controller_id => INT32
 *   topics => error_code name is_internal [partitions]
 *     error_code => INT16
 *     name => STRING
 *     is_internal => BOOLEAN
 *     partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes]
 *       error_code => INT16
 *       partition_index => INT32
 *       leader_id => INT32
 *       replica_nodes => INT32
 *       isr_nodes => INT32
 */
import { codec } from '../codec';
import type { MetadataRequest, MetadataResponse } from './types';

export default codec<MetadataRequest, MetadataResponse>({
  apiKey: 3,
  version: 4,
  decodeRequest: (r) => {
    const topics = r.nullableArray((r) => r.string());
    const allowAutoTopicCreation = r.bool();
    return { topics, allowAutoTopicCreation };
  },
  encodeResponse: (w, res) => {
    w.int32(res.throttleTimeMs);
    w.array(res.brokers, (w, b) => {
      w.int32(b.nodeId).string(b.host).int32(b.port).nullableString(b.rack);
    });
    w.nullableString(res.clusterId).int32(res.controllerId);
    w.array(res.topics, (w, t) => {
      w.int16(t.errorCode).string(t.name).bool(t.isInternal);
      w.array(t.partitions, (w, p) => {
        w.int16(p.errorCode).int32(p.partitionIndex).int32(p.leaderId);
        w.array(p.replicaNodes, (w, n) => w.int32(n));
        w.array(p.isrNodes, (w, n) => w.int32(n));
      });
    });
  },
});
