/**
 * JoinGroup v0.
 *
 * JoinGroup Request (Version: 0) => group_id session_timeout_ms member_id protocol_type [protocols]
 *   group_id => STRING
 *   session_timeout_ms => INT32
 *   member_id => STRING
 *   protocol_type => STRING
 *   protocols => name metadata
 *     name => STRING
 *     metadata => BYTES
 *
 * JoinGroup Response (Version: 0) => error_code generation_id protocol_name leader member_id [members]
 *   error_code => INT16
 *   generation_id => INT32
 *   protocol_name => STRING
 *   leader => STRING
 *   member_id => STRING
 *   members => member_id metadata
 *     member_id => STRING
 *     metadata => BYTES
 */
import { codec } from '../codec';
import type { Reader } from '../reader';
import type { Writer } from '../writer';
import type { JoinGroupRequest, JoinGroupResponse } from './types';

export function decodeProtocols(r: Reader): JoinGroupRequest['protocols'] {
  return r.array((r) => ({ name: r.string(), metadata: r.bytes() }));
}

export function encodeJoinGroupResponse(w: Writer, res: JoinGroupResponse): void {
  w.int16(res.errorCode).int32(res.generationId).string(res.protocolName).string(res.leader).string(res.memberId);
  w.array(res.members, (w, m) => {
    w.string(m.memberId).bytes(m.metadata);
  });
}

export default codec<JoinGroupRequest, JoinGroupResponse>({
  apiKey: 11,
  version: 0,
  decodeRequest: (r) => {
    const groupId = r.string();
    const sessionTimeoutMs = r.int32();
    const memberId = r.string();
    const protocolType = r.string();
    const protocols = decodeProtocols(r);
    return { groupId, sessionTimeoutMs, rebalanceTimeoutMs: sessionTimeoutMs, memberId, protocolType, protocols };
  },
  encodeResponse: encodeJoinGroupResponse,
});
