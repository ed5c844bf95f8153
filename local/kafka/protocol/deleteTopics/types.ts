/** DeleteTopics (key 20). */
export interface DeleteTopicsRequest {
  topicNames: string[];
  timeoutMs: number;
}
export interface DeleteTopicsResponse {
  responses: { name: string; errorCode: number }[];
}
