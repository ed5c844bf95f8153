/**
 * ListGroups v0.
 *
 * ListGroups Request (Version: 0) =>
 *
 * ListGroups Response (Version: 0) => error_code [groups]
 *   error_code => INT16
 *   groups => group_id protocol_type
 *     group_id => STRING
 *     protocol_type => STRING
 */
import { codec } from '../codec';
import type { ListGroupsRequest, ListGroupsResponse } from './types';

export default codec<ListGroupsRequest, ListGroupsResponse>({
  apiKey: 16,
  version: 0,
  decodeRequest: () => ({}),
  encodeResponse: (w, res) => {
    w.int16(res.errorCode);
    w.array(res.groups, (w, g) => {
      w.string(g.groupId).string(g.protocolType);
    });
  },
});
