// DeleteMessage(Batch) and ChangeMessageVisibility(Batch), by receipt handle.
import { SqsError, invalidParameterValue, messageNotInflight, receiptHandleIsInvalid } from '../errors';
import type { Message, Queue } from '../queue';
import type { SqsStore } from '../store';
import { type Input, type SqsContext, entries, optInt, reqString } from './context';
import { parseReceiptHandle } from './receive';
import { type BatchFailure, checkBatch, failure } from './send';

/** The message a receipt handle names; undefined when it was deleted already. */
function lookup(q: Queue, handle: string): { m?: Message; nonce: string } {
  const parsed = parseReceiptHandle(handle);
  if (!parsed || parsed[0] !== q.name) throw receiptHandleIsInvalid(handle);
  return { m: q.messages.get(parsed[1]), nonce: parsed[2] };
}

function deleteOne(store: SqsStore, q: Queue, handle: string): void {
  const { m, nonce } = lookup(q, handle);
  if (!m) return; // deleting twice succeeds, as on AWS
  if (q.fifo && (m.handle !== nonce || !q.isInFlight(m, store.now())))
    throw new SqsError('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 'The receipt handle has expired.', 404);
  q.remove(m.id);
  store.record({ t: 'd', q: q.name, i: m.id });
}

function changeOne(store: SqsStore, q: Queue, handle: string, seconds: number): void {
  const { m, nonce } = lookup(q, handle);
  const now = store.now();
  if (!m || !q.isInFlight(m, now)) throw messageNotInflight();
  if (q.fifo && m.handle !== nonce) throw receiptHandleIsInvalid(handle);
  q.setVisibleAt(m, now + seconds * 1000, now);
  store.record({ t: 'v', q: q.name, i: m.id, v: m.visibleAt });
}

function visibility(input: Input): number {
  const v = input.VisibilityTimeout;
  if (v === undefined || v === null) throw new SqsError('MissingRequiredParameterException', 'MissingParameter', 'The request must contain the parameter VisibilityTimeout.');
  const n = optInt(input, 'VisibilityTimeout', 0, 43200, 'Must be between 0 and 43200, if provided.');
  if (n === undefined) throw invalidParameterValue('VisibilityTimeout is invalid.');
  return n;
}

export function deleteMessage(ctx: SqsContext, input: Input): Record<string, never> {
  const q = ctx.store.byUrl(reqString(input, 'QueueUrl'));
  deleteOne(ctx.store, q, reqString(input, 'ReceiptHandle'));
  return {};
}

export function deleteMessageBatch(ctx: SqsContext, input: Input): { Successful: Array<{ Id: string }>; Failed: BatchFailure[] } {
  const q = ctx.store.byUrl(reqString(input, 'QueueUrl'));
  const list = entries(input);
  checkBatch(list, 'DeleteMessageBatchRequestEntry');
  const out = { Successful: [] as Array<{ Id: string }>, Failed: [] as BatchFailure[] };
  for (const e of list) {
    try {
      deleteOne(ctx.store, q, reqString(e, 'ReceiptHandle'));
      out.Successful.push({ Id: e.Id as string });
    } catch (err) {
      out.Failed.push(failure(e.Id as string, err));
    }
  }
  return out;
}

export function changeMessageVisibility(ctx: SqsContext, input: Input): Record<string, never> {
  const q = ctx.store.byUrl(reqString(input, 'QueueUrl'));
  const handle = reqString(input, 'ReceiptHandle');
  changeOne(ctx.store, q, handle, visibility(input));
  return {};
}

export function changeMessageVisibilityBatch(ctx: SqsContext, input: Input): { Successful: Array<{ Id: string }>; Failed: BatchFailure[] } {
  const q = ctx.store.byUrl(reqString(input, 'QueueUrl'));
  const list = entries(input);
  checkBatch(list, 'ChangeMessageVisibilityBatchRequestEntry');
  const out = { Successful: [] as Array<{ Id: string }>, Failed: [] as BatchFailure[] };
  for (const e of list) {
    try {
      changeOne(ctx.store, q, reqString(e, 'ReceiptHandle'), visibility(e));
      out.Successful.push({ Id: e.Id as string });
    } catch (err) {
      out.Failed.push(failure(e.Id as string, err));
    }
  }
  return out;
}
