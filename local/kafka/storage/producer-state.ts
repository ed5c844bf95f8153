/**
 * Idempotent-producer bookkeeping for one partition (what Kafka keeps in its producer state
 * snapshots): per producer id, the epoch, the last sequence appended and the last five
 * batches, so a retried batch is answered with its original offset instead of being written
 * twice, and a gap in sequences is refused. Kept in memory only: after a broker restart a
 * producer's next batch is accepted whatever its sequence (documented gap).
 */
import { ErrorCode, KafkaProtocolError } from '../errors';

const REMEMBERED_BATCHES = 5;
const INT32_MAX = 2147483647;

interface Entry {
  epoch: number;
  lastSeq: number;
  recent: { firstSeq: number; lastSeq: number; baseOffset: number }[];
}

export type SequenceCheck = { duplicateOf: number } | { append: true };

export class ProducerStateTable {
  private readonly producers = new Map<number, Entry>();

  /** Decides whether a batch from (producerId, epoch) with these sequences may be appended. */
  check(producerId: number, epoch: number, firstSeq: number, count: number): SequenceCheck {
    const lastSeq = seqAdd(firstSeq, count - 1);
    const e = this.producers.get(producerId);
    if (!e || epoch > e.epoch) return { append: true };
    if (epoch < e.epoch) throw new KafkaProtocolError(ErrorCode.INVALID_PRODUCER_EPOCH, `producer ${producerId} epoch ${epoch} is fenced by ${e.epoch}`);
    const dup = e.recent.find((b) => b.firstSeq === firstSeq && b.lastSeq === lastSeq);
    if (dup) return { duplicateOf: dup.baseOffset };
    if (firstSeq !== seqAdd(e.lastSeq, 1)) {
      throw new KafkaProtocolError(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, `producer ${producerId}: expected sequence ${seqAdd(e.lastSeq, 1)}, got ${firstSeq}`);
    }
    return { append: true };
  }

  record(producerId: number, epoch: number, firstSeq: number, count: number, baseOffset: number): void {
    const lastSeq = seqAdd(firstSeq, count - 1);
    let e = this.producers.get(producerId);
    if (!e || epoch > e.epoch) {
      e = { epoch, lastSeq, recent: [] };
      this.producers.set(producerId, e);
    }
    e.lastSeq = lastSeq;
    e.recent.push({ firstSeq, lastSeq, baseOffset });
    if (e.recent.length > REMEMBERED_BATCHES) e.recent.shift();
  }
}

function seqAdd(seq: number, n: number): number {
  const s = seq + n;
  return s > INT32_MAX ? s - INT32_MAX - 1 : s;
}
