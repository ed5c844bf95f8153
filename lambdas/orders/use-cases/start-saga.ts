/**
 * Starting orders' sagas from their OrderPlaced events (the log's stream). The execution is named
 * by the order id, so starting it again (a redelivered record, the reconciler) finds it already
 * there: that is success, not an error.
 */
import type { OrderPlacedData } from '../domain/events';
import { newOrderEvent } from '../domain/events';
import { apply } from '../domain/order';
import type { SagaExecutions, StartResult } from '../domain/ports';
import { executionName, sagaInput } from '../domain/saga';

export interface PlacedRecord {
  orderId: string;
  at: string;
  data: OrderPlacedData;
  /** the trace of the request that placed the order, which the saga continues */
  trace?: string;
}

/** Starts the saga of one placed order; resolves whether it started now or had started before. */
export async function startSaga(executions: SagaExecutions, placed: PlacedRecord): Promise<StartResult> {
  const order = apply(undefined, newOrderEvent('OrderPlaced', placed.data, placed.at), placed.orderId);
  return executions.start(executionName(placed.orderId), sagaInput(order), placed.trace);
}

/** One record of a stream batch: its position, and the placed order it carries (if any). */
export interface StreamRecord {
  sequenceNumber: string;
  placed?: PlacedRecord;
}

export interface BatchOutcome {
  started: string[];
  /** sagas that had started before (a redelivery) */
  already: string[];
  /** starts Step Functions refused for good (their name or input): for an operator */
  refused: Array<{ sequenceNumber: string; error: unknown }>;
  /** starts that failed for now */
  failed: Array<{ sequenceNumber: string; error: unknown }>;
  /** the position the stream must resume from (the first failure), none when all are done */
  retryFrom?: string;
}

/**
 * Starts the sagas of a batch together (the orders are independent). The stream resumes from the
 * first start that failed for now (those after it are started again; a start is idempotent); a
 * start refused for good does not hold the later orders back.
 */
export async function startSagas(executions: SagaExecutions, records: ReadonlyArray<StreamRecord>, isPermanent: (err: unknown) => boolean): Promise<BatchOutcome> {
  const outcomes = await Promise.allSettled(records.map(async (r) => (r.placed ? { orderId: r.placed.orderId, ...(await startSaga(executions, r.placed)) } : undefined)));
  const out: BatchOutcome = { started: [], already: [], refused: [], failed: [] };
  outcomes.forEach((o, i) => {
    const sequenceNumber = records[i]!.sequenceNumber;
    if (o.status === 'rejected') {
      if (isPermanent(o.reason)) out.refused.push({ sequenceNumber, error: o.reason });
      else out.failed.push({ sequenceNumber, error: o.reason });
    } else if (o.value) (o.value.started ? out.started : out.already).push(o.value.orderId);
  });
  out.retryFrom = out.failed[0]?.sequenceNumber;
  return out;
}
