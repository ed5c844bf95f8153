/**
 * Metadata: this node as the only broker and controller, leader and sole replica of every
 * partition. Unknown topics are created when the broker allows it and the client asked for it
 * (allow_auto_topic_creation), else reported as UNKNOWN_TOPIC_OR_PARTITION.
 */
import { ErrorCode, KafkaProtocolError } from '../errors';
import type { MetadataRequest, MetadataResponse } from '../protocol/metadata/types';
import { type Topic, validateTopicName } from '../storage/topic-store';
import { type Handler, codeOf } from './context';

type TopicMeta = MetadataResponse['topics'][number];

function describe(t: Topic, nodeId: number): TopicMeta {
  return {
    errorCode: ErrorCode.NONE,
    name: t.name,
    isInternal: false,
    partitions: t.partitions.map((_, i) => ({ errorCode: ErrorCode.NONE, partitionIndex: i, leaderId: nodeId, replicaNodes: [nodeId], isrNodes: [nodeId] })),
  };
}

export const handleMetadata: Handler<MetadataRequest, MetadataResponse> = async (req, { broker }) => {
  const { config, topics } = broker;
  const out: TopicMeta[] = [];
  if (req.topics === null) {
    for (const t of topics.all()) out.push(describe(t, config.nodeId));
  } else {
    for (const name of new Set(req.topics)) {
      let t = topics.get(name);
      try {
        validateTopicName(name);
        if (!t) {
          if (!config.autoCreateTopics || !req.allowAutoTopicCreation) {
            throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `unknown topic ${name}`);
          }
          t = topics.get(name) ?? (await topics.create(name, config.defaultPartitions));
        }
        out.push(describe(t, config.nodeId));
      } catch (err) {
        const again = topics.get(name); // created concurrently by another request
        if (again) out.push(describe(again, config.nodeId));
        else out.push({ errorCode: codeOf(err), name, isInternal: false, partitions: [] });
      }
    }
  }
  return {
    throttleTimeMs: 0,
    brokers: [{ nodeId: config.nodeId, host: config.host, port: config.port, rack: null }],
    clusterId: config.clusterId,
    controllerId: config.nodeId,
    topics: out,
  };
};
