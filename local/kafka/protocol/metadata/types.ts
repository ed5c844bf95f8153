/** Metadata (key 3): brokers, topics and partition leaders. */
export interface MetadataRequest {
  /** null = all topics. */
  topics: string[] | null;
  allowAutoTopicCreation: boolean;
}

export interface MetadataResponse {
  throttleTimeMs: number;
  brokers: { nodeId: number; host: string; port: number; rack: string | null }[];
  clusterId: string | null;
  controllerId: number;
  topics: {
    errorCode: number;
    name: string;
    isInternal: boolean;
    partitions: { errorCode: number; partitionIndex: number; leaderId: number; replicaNodes: number[]; isrNodes: number[] }[];
  }[];
}
