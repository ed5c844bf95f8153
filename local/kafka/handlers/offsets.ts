/** OffsetCommit and OffsetFetch: committed group positions, checked against group membership. */
import { ErrorCode } from '../errors';
import type { OffsetCommitRequest, OffsetCommitResponse } from '../protocol/offsetCommit/types';
import type { OffsetFetchRequest, OffsetFetchResponse } from '../protocol/offsetFetch/types';
import { type Handler, codeOf } from './context';

const MAX_METADATA = 4096; // Kafka's offset.metadata.max.bytes

export const handleOffsetCommit: Handler<OffsetCommitRequest, OffsetCommitResponse> = async (req, { broker }) => {
  let groupError = 0;
  try {
    broker.coordinator.checkCommit(req.groupId, req.memberId, req.generationId);
  } catch (err) {
    groupError = codeOf(err);
  }
  const accepted: { topic: string; partition: number; offset: number; metadata: string | null }[] = [];
  const topics: OffsetCommitResponse['topics'] = req.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => {
      let errorCode = groupError;
      if (!errorCode) {
        if (!broker.topics.partition(t.name, p.partitionIndex)) errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        else if (p.committedMetadata && Buffer.byteLength(p.committedMetadata) > MAX_METADATA) errorCode = ErrorCode.OFFSET_METADATA_TOO_LARGE;
        else accepted.push({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, metadata: p.committedMetadata });
      }
      return { partitionIndex: p.partitionIndex, errorCode };
    }),
  }));
  if (accepted.length) {
    try {
      await broker.coordinator.commitOffsets(req.groupId, accepted);
    } catch (err) {
      broker.log(`offset commit for ${req.groupId} failed: ${(err as Error).message}`);
      for (const t of topics) for (const p of t.partitions) if (!p.errorCode) p.errorCode = ErrorCode.UNKNOWN_SERVER_ERROR;
    }
  }
  return { topics };
};

export const handleOffsetFetch: Handler<OffsetFetchRequest, OffsetFetchResponse> = (req, { broker }) => {
  // v1 has no request-level error code: an empty group id is reported on every partition.
  const errorCode = req.groupId ? ErrorCode.NONE : ErrorCode.INVALID_GROUP_ID;
  return {
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => {
        const c = broker.coordinator.committed(req.groupId, t.name, partitionIndex);
        return { partitionIndex, committedOffset: c?.offset ?? -1, metadata: c?.metadata ?? '', errorCode };
      }),
    })),
  };
};
