/** ListGroups (key 16): every group the coordinator knows. */
export type ListGroupsRequest = Record<string, never>;
export interface ListGroupsResponse {
  errorCode: number;
  groups: { groupId: string; protocolType: string }[];
}
