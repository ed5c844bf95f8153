/**
 * Starting an order's saga from its OrderPlaced event (the log's stream). The execution is named
 * by the order id, so starting it again (a redelivered record, the reconciler) finds it already
 * there: that is success, not an error.
 */
import type { OrderPlacedData } from '../domain/events';
import { apply } from '../domain/order';
import type { SagaExecutions, StartResult } from '../domain/ports';
import { executionName, sagaInput } from '../domain/saga';
import { newOrderEvent } from '../domain/events';

export interface PlacedRecord {
  orderId: string;
  at: string;
  data: OrderPlacedData;
}

/** Starts the saga of one placed order; resolves whether it started now or had started before. */
export async function startSaga(executions: SagaExecutions, placed: PlacedRecord): Promise<StartResult> {
  const order = apply(undefined, newOrderEvent('OrderPlaced', placed.data, placed.at), placed.orderId);
  return executions.start(executionName(placed.orderId), sagaInput(order));
}
