/**
 * Fetch: serves stored record batches as bytes (no record parsing) and long-polls: when less
 * than min_bytes is available the request parks until a write to one of its partitions makes
 * data visible, max_wait_ms passes, or the broker closes, then reads again.
 */
import { ErrorCode } from '../errors';
import type { FetchPartitionResponse, FetchRequest, FetchResponse } from '../protocol/fetch/types';
import type { PartitionLog } from '../storage/partition-log';
import type { BrokerState, Handler } from './context';

const READ_COMMITTED = 1;

async function readOnce(req: FetchRequest, broker: BrokerState): Promise<{ res: FetchResponse; bytes: number; error: boolean }> {
  let budget = req.maxBytes > 0 ? req.maxBytes : Number.MAX_SAFE_INTEGER;
  let bytes = 0;
  let error = false;
  const aborted = req.isolationLevel === READ_COMMITTED ? [] : null;
  const topics: FetchResponse['topics'] = [];
  for (const t of req.topics) {
    const partitions: FetchPartitionResponse[] = [];
    for (const p of t.partitions) {
      const log = broker.topics.partition(t.topic, p.partition);
      const out: FetchPartitionResponse = {
        partitionIndex: p.partition,
        errorCode: ErrorCode.NONE,
        highWatermark: -1,
        lastStableOffset: -1,
        abortedTransactions: aborted,
        records: [],
      };
      partitions.push(out);
      if (!log) {
        out.errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        error = true;
        continue;
      }
      const hw = log.highWatermark;
      out.highWatermark = out.lastStableOffset = hw;
      if (p.fetchOffset < log.logStartOffset || p.fetchOffset > hw) {
        out.errorCode = ErrorCode.OFFSET_OUT_OF_RANGE;
        error = true;
        continue;
      }
      // Past the response's budget only an empty answer fits, unless nothing was returned yet
      // (the first batch is always sent whole, KIP-74).
      if (budget <= 0 && bytes > 0) continue;
      const limit = Math.max(1, Math.min(p.partitionMaxBytes, budget));
      const records = p.fetchOffset < hw ? await log.read(p.fetchOffset, limit) : [];
      for (const r of records) {
        bytes += r.length;
        budget -= r.length;
      }
      out.records = records;
    }
    topics.push({ topic: t.topic, partitions });
  }
  return { res: { throttleTimeMs: 0, topics }, bytes, error };
}

/** Resolves when any of `logs` gets new data, the broker closes, or `ms` pass. */
function waitForData(logs: PartitionLog[], ms: number, broker: BrokerState): Promise<void> {
  return new Promise((resolve) => {
    const offs: (() => void)[] = [];
    broker.parkedFetches++;
    const done = () => {
      clearTimeout(timer);
      for (const off of offs) off();
      broker.parkedFetches--;
      resolve();
    };
    const timer = setTimeout(done, ms);
    for (const l of logs) offs.push(l.onAppend(done));
    offs.push(broker.onClose(done));
  });
}

export const handleFetch: Handler<FetchRequest, FetchResponse> = async (req, { broker }) => {
  const deadline = Date.now() + Math.max(0, req.maxWaitMs);
  for (;;) {
    const { res, bytes, error } = await readOnce(req, broker);
    const left = deadline - Date.now();
    if (bytes >= req.minBytes || error || left <= 0 || broker.closing) return res;
    const logs: PartitionLog[] = [];
    for (const t of req.topics) for (const p of t.partitions) {
      const l = broker.topics.partition(t.topic, p.partition);
      if (l) logs.push(l);
    }
    await waitForData(logs, left, broker);
    if (broker.closing) return res;
  }
};
