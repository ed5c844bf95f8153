/** SyncGroup (key 14): the leader hands out assignments; every member receives its own. */
export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  assignments: { memberId: string; assignment: Buffer }[];
}
export interface SyncGroupResponse {
  errorCode: number;
  assignment: Buffer;
}
