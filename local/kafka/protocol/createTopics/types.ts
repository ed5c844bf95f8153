/** CreateTopics (key 19). */
export interface CreateTopicsRequest {
  topics: {
    name: string;
    numPartitions: number;
    replicationFactor: number;
    assignments: { partitionIndex: number; brokerIds: number[] }[];
    configs: { name: string; value: string | null }[];
  }[];
  timeoutMs: number;
}
export interface CreateTopicsResponse {
  topics: { name: string; errorCode: number }[];
}
