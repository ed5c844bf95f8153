/** Heartbeat (key 12): keeps a member's session alive; tells it when to rejoin. */
export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
}
export interface HeartbeatResponse {
  errorCode: number;
}
