/**
 * DescribeGroups v0.
 *
 * DescribeGroups Request (Version: 0) => [groups]
 *   groups => STRING
 *
 * DescribeGroups Response (Version: 0) => [groups]
 *   groups => error_code group_id group_state protocol_type protocol_data [members]
 *     error_code => INT16
 *     group_id => STRING
 *     group_state => STRING
 *     protocol_type => STRING
 *     protocol_data => STRING
 *     members => member_id client_id client_host member_metadata member_assignment
 *       member_id => STRING
 *       client_id => STRING
 *       client_host => STRING
 *       member_metadata => BYTES
 *       member_assignment => BYTES
 */
import { codec } from '../codec';
import type { DescribeGroupsRequest, DescribeGroupsResponse } from './types';

export default codec<DescribeGroupsRequest, DescribeGroupsResponse>({
  apiKey: 15,
  version: 0,
  decodeRequest: (r) => ({ groups: r.array((r) => r.string()) }),
  encodeResponse: (w, res) => {
    w.array(res.groups, (w, g) => {
      w.int16(g.errorCode).string(g.groupId).string(g.groupState).string(g.protocolType).string(g.protocolData);
      w.array(g.members, (w, m) => {
        w.string(m.memberId).string(m.clientId).string(m.clientHost).bytes(m.memberMetadata).bytes(m.memberAssignment);
      });
    });
  },
});
