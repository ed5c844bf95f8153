/** JoinGroup (key 11): a member (re)joins a group; answered when the rebalance completes. */
export interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  /** v0 has none: the session timeout is used, as Kafka does. */
  rebalanceTimeoutMs: number;
  memberId: string;
  protocolType: string;
  protocols: { name: string; metadata: Buffer }[];
}

export interface JoinGroupResponse {
  errorCode: number;
  generationId: number;
  protocolName: string;
  leader: string;
  memberId: string;
  /** Filled for the leader only. */
  members: { memberId: string; metadata: Buffer }[];
}
