/**
 * LeaveGroup v0.
 *
 * LeaveGroup Request (Version: 0) => group_id member_id
 *   group_id => STRING
 *   member_id => STRING
 *
 * LeaveGroup Response (Version: 0) => error_code
 *   error_code => INT16
 */
import { codec } from '../codec';
import type { LeaveGroupRequest, LeaveGroupResponse } from './types';

export default codec<LeaveGroupRequest, LeaveGroupResponse>({
  apiKey: 13,
  version: 0,
  decodeRequest: (r) => {
    const groupId = r.string();
    const memberId = r.string();
    return { groupId, memberId };
  },
  encodeResponse: (w, res) => {
    w.int16(res.errorCode);
  },
});
