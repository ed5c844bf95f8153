/**
 * JoinGroup v1 (adds rebalance_timeout_ms; the response is unchanged).
 *
 * JoinGroup Request (Version: 1) => group_id session_timeout_ms rebalance_timeout_ms member_id protocol_type [protocols]
 *   group_id => STRING
 *   session_timeout_ms => INT32
 *   rebalance_timeout_ms => INT32
 *   member_id => STRING
 *   protocol_type => STRING
 *   protocols => name metadata
 *     name => STRING
 *     metadata => BYTES
 *
 * JoinGroup Response (Version: 1) => error_code generation_id protocol_name leader member_id [members]
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
import type { JoinGroupRequest, JoinGroupResponse } from './types';
import { decodeProtocols, encodeJoinGroupResponse } from './v0';

export default codec<JoinGroupRequest, JoinGroupResponse>({
  apiKey: 11,
  version: 1,
  decodeRequest: (r) => {
    const groupId = r.string();
    const sessionTimeoutMs = r.int32();
    const rebalanceTimeoutMs = r.int32();
    const memberId = r.string();
    const protocolType = r.string();
    const protocols = decodeProtocols(r);
    return { groupId, sessionTimeoutMs, rebalanceTimeoutMs, memberId, protocolType, protocols };
  },
  encodeResponse: encodeJoinGroupResponse,
});
