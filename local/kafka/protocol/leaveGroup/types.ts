/** LeaveGroup (key 13): a member leaves, triggering a rebalance of the rest. */
export interface LeaveGroupRequest {
  groupId: string;
  memberId: string;
}
export interface LeaveGroupResponse {
  errorCode: number;
}
