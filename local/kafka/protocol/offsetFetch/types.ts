/** OffsetFetch (key 9): read a group's committed positions. */
export interface OffsetFetchRequest {
  groupId: string;
  topics: { name: string; partitionIndexes: number[] }[];
}
export interface OffsetFetchResponse {
  topics: {
    name: string;
    partitions: { partitionIndex: number; committedOffset: number; metadata: string | null; errorCode: number }[];
  }[];
}
