/**
 * FindCoordinator v0 (group coordinators only; librdkafka's group features require v0).
 *
 * FindCoordinator Request (Version: 0) => key
 *   key => STRING
 *
 * FindCoordinator Response (Version: 0) => error_code node_id host port
 *   error_code => INT16
 *   node_id => INT32
 *   host => STRING
 *   port => INT32
 */
import { codec } from '../codec';
import type { FindCoordinatorRequest, FindCoordinatorResponse } from './types';

export default codec<FindCoordinatorRequest, FindCoordinatorResponse>({
  apiKey: 10,
  version: 0,
  decodeRequest: (r) => ({ key: r.string() }),
  encodeResponse: (w, res) => {
    w.int16(res.errorCode).int32(res.nodeId).string(res.host).int32(res.port);
  },
});
