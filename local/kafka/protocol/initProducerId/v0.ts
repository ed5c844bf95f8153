/**
 * InitProducerId v0.
 *
 * InitProducerId Request (Version: 0) => transactional_id transaction_timeout_ms
 *   transactional_id => NULLABLE_STRING
 *   transaction_timeout_ms => INT32
 *
 * InitProducerId Response (Version: 0) => throttle_time_ms error_code producer_id producer_epoch
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   producer_id => INT64
 *   producer_epoch => INT16
 */
import { codec } from '../codec';
import type { InitProducerIdRequest, InitProducerIdResponse } from './types';

export default codec<InitProducerIdRequest, InitProducerIdResponse>({
  apiKey: 22,
  version: 0,
  decodeRequest: (r) => {
    const transactionalId = r.nullableString();
    const transactionTimeoutMs = r.int32();
    return { transactionalId, transactionTimeoutMs };
  },
  encodeResponse: (w, res) => {
    w.int32(res.throttleTimeMs).int16(res.errorCode).int64(res.producerId).int16(res.producerEpoch);
  },
});
