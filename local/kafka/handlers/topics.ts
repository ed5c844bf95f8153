/** CreateTopics and DeleteTopics. Replication factor must be 1 (or -1, "default"): one broker. */
import { ErrorCode, KafkaProtocolError } from '../errors';
import type { CreateTopicsRequest, CreateTopicsResponse } from '../protocol/createTopics/types';
import type { DeleteTopicsRequest, DeleteTopicsResponse } from '../protocol/deleteTopics/types';
import { type Handler, codeOf } from './context';

export const handleCreateTopics: Handler<CreateTopicsRequest, CreateTopicsResponse> = async (req, { broker }) => {
  const seen = new Map<string, number>();
  for (const t of req.topics) seen.set(t.name, (seen.get(t.name) ?? 0) + 1);
  const topics: CreateTopicsResponse['topics'] = [];
  for (const t of req.topics) {
    try {
      if (seen.get(t.name)! > 1) throw new KafkaProtocolError(ErrorCode.INVALID_REQUEST, `topic ${t.name} appears twice`);
      let partitions = t.numPartitions;
      if (t.assignments.length > 0) {
        if (t.numPartitions !== -1 || t.replicationFactor !== -1) {
          throw new KafkaProtocolError(ErrorCode.INVALID_REQUEST, 'both assignments and partitions/replication factor given');
        }
        for (const a of t.assignments) {
          if (a.brokerIds.length !== 1 || a.brokerIds[0] !== broker.config.nodeId) {
            throw new KafkaProtocolError(ErrorCode.INVALID_REPLICATION_FACTOR, `partition ${a.partitionIndex} must be assigned to broker ${broker.config.nodeId} alone`);
          }
        }
        partitions = t.assignments.length;
      } else if (t.replicationFactor !== 1 && t.replicationFactor !== -1) {
        throw new KafkaProtocolError(ErrorCode.INVALID_REPLICATION_FACTOR, `replication factor ${t.replicationFactor} larger than the 1 available broker`);
      }
      if (partitions === -1) partitions = broker.config.defaultPartitions;
      await broker.topics.create(t.name, partitions);
      topics.push({ name: t.name, errorCode: ErrorCode.NONE });
    } catch (err) {
      topics.push({ name: t.name, errorCode: codeOf(err) });
    }
  }
  return { topics };
};

export const handleDeleteTopics: Handler<DeleteTopicsRequest, DeleteTopicsResponse> = async (req, { broker }) => ({
  responses: await Promise.all(
    req.topicNames.map(async (name) => {
      try {
        await broker.topics.delete(name);
        await broker.coordinator.forgetTopic(name);
        return { name, errorCode: ErrorCode.NONE };
      } catch (err) {
        return { name, errorCode: codeOf(err) };
      }
    }),
  ),
});
