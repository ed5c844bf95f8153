/** DeleteGroups (key 42): drop empty groups and their committed offsets. */
export interface DeleteGroupsRequest {
  groupsNames: string[];
}
export interface DeleteGroupsResponse {
  throttleTimeMs: number;
  results: { groupId: string; errorCode: number }[];
}
