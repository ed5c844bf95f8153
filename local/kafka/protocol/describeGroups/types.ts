/** DescribeGroups (key 15): state, protocol and members of groups. */
export interface DescribeGroupsRequest {
  groups: string[];
}
export interface DescribedGroup {
  errorCode: number;
  groupId: string;
  groupState: string;
  protocolType: string;
  protocolData: string;
  members: { memberId: string; clientId: string; clientHost: string; memberMetadata: Buffer; memberAssignment: Buffer }[];
}
export interface DescribeGroupsResponse {
  groups: DescribedGroup[];
}
