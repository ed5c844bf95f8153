/** Produce (key 0): append record batches to partitions. */
export interface ProduceRequest {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  /** `records` is a slice of the request frame holding one or more record batches. */
  topics: { name: string; partitions: { index: number; records: Buffer | null }[] }[];
}

export interface ProduceResponse {
  topics: { name: string; partitions: { index: number; errorCode: number; baseOffset: number; logAppendTimeMs: number }[] }[];
  throttleTimeMs: number;
}
