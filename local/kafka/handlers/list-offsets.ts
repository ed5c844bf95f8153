/** ListOffsets: latest (-1) is the high watermark, earliest (-2) the log start, else by timestamp. */
import { ErrorCode } from '../errors';
import type { ListOffsetsRequest, ListOffsetsResponse } from '../protocol/listOffsets/types';
import { type Handler, codeOf } from './context';

const LATEST = -1;
const EARLIEST = -2;

export const handleListOffsets: Handler<ListOffsetsRequest, ListOffsetsResponse> = async (req, { broker }) => ({
  topics: await Promise.all(
    req.topics.map(async (t) => ({
      name: t.name,
      partitions: await Promise.all(
        t.partitions.map(async (p) => {
          const log = broker.topics.partition(t.name, p.partitionIndex);
          const base = { partitionIndex: p.partitionIndex, errorCode: ErrorCode.NONE, timestamp: -1, offset: -1 };
          if (!log) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
          if (p.timestamp === LATEST) return { ...base, offset: log.highWatermark };
          if (p.timestamp === EARLIEST) return { ...base, offset: log.logStartOffset };
          try {
            const found = await log.offsetForTimestamp(p.timestamp);
            return { ...base, ...found };
          } catch (err) {
            broker.log(`ListOffsets by time on ${t.name}-${p.partitionIndex} failed: ${(err as Error).message}`);
            return { ...base, errorCode: codeOf(err) };
          }
        }),
      ),
    })),
  ),
});
