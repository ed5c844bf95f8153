/**
 * SyncGroup v0.
 *
 * SyncGroup Request (Version: 0) => group_id generation_id member_id [assignments]
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   assignments => member_id assignment
 *     member_id => STRING
 *     assignment => BYTES
 *
 * SyncGroup Response (Version: 0) => error_code assignment
 *   error_code => INT16
 *   assignment => BYTES
 */
import { codec } from '../codec';
import type { SyncGroupRequest, SyncGroupResponse } from './types';

export default codec<SyncGroupRequest, SyncGroupResponse>({
  apiKey: 14,
  version: 0,
  decodeRequest: (r) => {
    const groupId = r.string();
    const generationId = r.int32();
    const memberId = r.string();
    const assignments = r.array((r) => ({ memberId: r.string(), assignment: r.bytes() }));
    return { groupId, generationId, memberId, assignments };
  },
  encodeResponse: (w, res) => {
    w.int16(res.errorCode).bytes(res.assignment);
  },
});
