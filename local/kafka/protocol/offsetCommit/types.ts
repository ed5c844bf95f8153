/** OffsetCommit (key 8): store a group's consumed positions. */
export interface OffsetCommitRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  retentionTimeMs: number;
  topics: { name: string; partitions: { partitionIndex: number; committedOffset: number; committedMetadata: string | null }[] }[];
}
export interface OffsetCommitResponse {
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}
