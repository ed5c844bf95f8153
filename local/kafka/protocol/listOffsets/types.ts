/** ListOffsets (key 2): offsets for a timestamp, or the special earliest (-2) / latest (-1). */
export interface ListOffsetsRequest {
  replicaId: number;
  topics: { name: string; partitions: { partitionIndex: number; timestamp: number }[] }[];
}

export interface ListOffsetsResponse {
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number; timestamp: number; offset: number }[] }[];
}
