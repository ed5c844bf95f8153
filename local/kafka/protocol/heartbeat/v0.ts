/**
 * Heartbeat v0.
 *
 * Heartbeat Request (Version: 0) => group_id generation_id member_id
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *
 * Heartbeat Response (Version: 0) => error_code
 *   error_code => INT16
 */
import { codec } from '../codec';
import type { HeartbeatRequest, HeartbeatResponse } from './types';

export default codec<HeartbeatRequest, HeartbeatResponse>({
  apiKey: 12,
  version: 0,
  decodeRequest: (r) => {
    const groupId = r.string();
    const generationId = r.int32();
    const memberId = r.string();
    return { groupId, generationId, memberId };
  },
  encodeResponse: (w, res) => {
    w.int16(res.errorCode);
  },
});
