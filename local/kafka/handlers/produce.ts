/**
 * Produce: validates each partition's record batches (framing, magic 2, CRC-32C, codec,
 * size, and every record's lengths and offset delta; gzip inflated with a bound) and appends
 * them. The response is sent once every batch reached the OS, for acks=1
 * and acks=-1 alike (one replica: the leader is the whole ISR). acks=0 gets no response; as
 * Kafka does, an error on such a request closes the connection so the client notices.
 */
import { ErrorCode, KafkaProtocolError } from '../errors';
import type { ProduceRequest, ProduceResponse } from '../protocol/produce/types';
import { splitAndValidateBatches } from '../protocol/records';
import { type Handler, NO_RESPONSE, codeOf } from './context';

type PartitionResult = ProduceResponse['topics'][number]['partitions'][number];

export class AcksZeroFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AcksZeroFailure';
  }
}

export const handleProduce: Handler<ProduceRequest, ProduceResponse> = async (req, { broker }) => {
  let requestError = 0;
  if (req.acks !== 0 && req.acks !== 1 && req.acks !== -1) requestError = ErrorCode.INVALID_REQUIRED_ACKS;
  else if (req.transactionalId !== null) requestError = ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;

  const topics = await Promise.all(
    req.topics.map(async (t) => ({
      name: t.name,
      partitions: await Promise.all(
        t.partitions.map(async (p): Promise<PartitionResult> => {
          const result: PartitionResult = { index: p.index, errorCode: requestError, baseOffset: -1, logAppendTimeMs: -1 };
          if (requestError) return result;
          try {
            const log = broker.topics.partition(t.name, p.index);
            if (!log) throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `unknown partition ${t.name}-${p.index}`);
            if (!p.records) throw new KafkaProtocolError(ErrorCode.CORRUPT_MESSAGE, 'null record set');
            const batches = splitAndValidateBatches(p.records, {
              maxBatchBytes: broker.config.maxMessageBytes,
              maxUncompressedBytes: broker.config.maxUncompressedBatchBytes,
            });
            result.baseOffset = await log.append(p.records, batches);
          } catch (err) {
            result.errorCode = codeOf(err);
            if (result.errorCode === ErrorCode.UNKNOWN_SERVER_ERROR) broker.log(`produce to ${t.name}-${p.index} failed: ${(err as Error).message}`);
          }
          return result;
        }),
      ),
    })),
  );
  if (req.acks === 0) {
    const failed = topics.flatMap((t) => t.partitions).find((p) => p.errorCode !== ErrorCode.NONE);
    if (failed) throw new AcksZeroFailure(`acks=0 produce failed with error ${failed.errorCode}`);
    return NO_RESPONSE;
  }
  return { topics, throttleTimeMs: 0 };
};
