/** InitProducerId: a fresh producer id (epoch 0) for idempotent producers; no transactions. */
import { ErrorCode } from '../errors';
import type { InitProducerIdRequest, InitProducerIdResponse } from '../protocol/initProducerId/types';
import { type Handler, codeOf } from './context';

export const handleInitProducerId: Handler<InitProducerIdRequest, InitProducerIdResponse> = async (req, { broker }) => {
  const res = { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: -1, producerEpoch: -1 };
  if (req.transactionalId !== null) return { ...res, errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED };
  try {
    return { ...res, producerId: await broker.allocateProducerId(), producerEpoch: 0 };
  } catch (err) {
    return { ...res, errorCode: codeOf(err) };
  }
};
