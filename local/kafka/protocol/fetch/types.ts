/** Fetch (key 1): read record batches from partitions, long-polling for max_wait_ms / min_bytes. */
export interface FetchRequest {
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  isolationLevel: number;
  topics: { topic: string; partitions: { partition: number; fetchOffset: number; partitionMaxBytes: number }[] }[];
}

export interface FetchPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  /** null when the consumer reads uncommitted; [] otherwise (no transactions here). */
  abortedTransactions: { producerId: number; firstOffset: number }[] | null;
  /** Stored record batches, sent as they are on disk. */
  records: Buffer[];
}

export interface FetchResponse {
  throttleTimeMs: number;
  topics: { topic: string; partitions: FetchPartitionResponse[] }[];
}
