// SendMessage and SendMessageBatch: validation of body and attributes as SQS does it, FIFO
// deduplication and sequence numbers, per-entry failures in batches.
import { createHash, randomUUID } from 'node:crypto';
import {
  SqsError,
  batchEntryIdsNotDistinct,
  batchRequestTooLong,
  emptyBatchRequest,
  invalidBatchEntryId,
  invalidMessageContents,
  invalidParameterValue,
  missingParameter,
  serializationError,
  tooManyEntries,
} from '../errors';
import { type AttributeValue, md5Hex, md5OfAttributes } from '../md5';
import type { Message, Queue } from '../queue';
import type { SqsStore } from '../store';
import { type Input, type SqsContext, entries, optInt, optString, reqString } from './context';

// XML 1.0's characters, the set SQS accepts in bodies and string values
const INVALID_CHAR = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTR_NAME = /^[A-Za-z0-9_\-.]{1,256}$/;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export interface SendResult {
  MessageId: string;
  MD5OfMessageBody: string;
  MD5OfMessageAttributes?: string;
  MD5OfMessageSystemAttributes?: string;
  SequenceNumber?: string;
}

function attributeMap(v: unknown, name: string): Record<string, AttributeValue> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw serializationError(`${name} must be a map`);
  const m = v as Record<string, AttributeValue>;
  return Object.keys(m).length ? m : undefined;
}

/** Checks user message attributes; returns their size in bytes (names, types and values count). */
export function validateMessageAttributes(attrs: Record<string, AttributeValue> | undefined, kind: 'user' | 'system'): number {
  if (!attrs) return 0;
  const names = Object.keys(attrs);
  if (kind === 'user' && names.length > 10) throw invalidParameterValue(`Number of message attributes [${names.length}] exceeds the allowed maximum [10].`);
  let size = 0;
  for (const name of names) {
    const a = attrs[name]!;
    if (kind === 'system') {
      if (name !== 'AWSTraceHeader') throw invalidParameterValue(`Message system attribute name '${name}' is invalid.`);
    } else if (
      !ATTR_NAME.test(name) ||
      name.startsWith('.') ||
      name.endsWith('.') ||
      name.includes('..') ||
      /^(aws\.|amazon\.)/i.test(name)
    )
      throw invalidParameterValue(`Message (user) attribute name '${name}' is invalid.`);
    if (!a || typeof a !== 'object') throw invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute type.`);
    const type = a.DataType;
    if (typeof type !== 'string' || !type) throw invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute type.`);
    const base = type.split('.')[0];
    if (base !== 'String' && base !== 'Number' && base !== 'Binary')
      throw invalidParameterValue(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    if (a.StringListValues !== undefined || a.BinaryListValues !== undefined)
      throw invalidParameterValue(`Message attribute list values in SendMessage operation are not supported.`);
    if (base === 'Binary') {
      if (typeof a.BinaryValue !== 'string' || a.BinaryValue === '')
        throw invalidParameterValue(`The message attribute '${name}' with type 'Binary' must use field 'Binary'.`);
      size += Buffer.from(a.BinaryValue, 'base64').length;
    } else {
      if (typeof a.StringValue !== 'string' || a.StringValue === '')
        throw invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${base}'.`);
      if (INVALID_CHAR.test(a.StringValue)) throw invalidMessageContents(`Invalid binary character was found in the value of message attribute '${name}'.`);
      if (base === 'Number' && (!NUMBER.test(a.StringValue.trim()) || a.StringValue.replace(/[^0-9]/g, '').length > 38))
        throw invalidParameterValue(`Can't cast the value of message (user) attribute '${name}' to a number.`);
      size += Buffer.byteLength(a.StringValue);
    }
    size += Buffer.byteLength(name) + Buffer.byteLength(type);
  }
  return size;
}

function cleanAttrs(attrs: Record<string, AttributeValue> | undefined): Record<string, AttributeValue> | undefined {
  if (!attrs) return undefined;
  const out: Record<string, AttributeValue> = {};
  for (const [k, a] of Object.entries(attrs)) {
    out[k] = a.DataType.startsWith('Binary') ? { DataType: a.DataType, BinaryValue: a.BinaryValue } : { DataType: a.DataType, StringValue: a.StringValue };
  }
  return out;
}

/** Validates one message for a queue and returns its size in bytes. */
function validate(q: Queue, input: Input): { body: string; size: number } {
  const body = input.MessageBody;
  if (body === undefined || body === null || body === '') throw missingParameter('MessageBody');
  if (typeof body !== 'string') throw serializationError('MessageBody must be a string');
  const bad = INVALID_CHAR.exec(body);
  if (bad)
    throw invalidMessageContents(
      `Invalid binary character '#x${bad[0].codePointAt(0)!.toString(16).toUpperCase()}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF`,
    );
  const delay = optInt(input, 'DelaySeconds', 0, 900, 'DelaySeconds must be >= 0 and <= 900.');
  if (q.fifo && delay !== undefined && delay !== 0)
    throw invalidParameterValue(`Value ${delay} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`);
  const size =
    Buffer.byteLength(body) +
    validateMessageAttributes(attributeMap(input.MessageAttributes, 'MessageAttributes'), 'user') +
    validateMessageAttributes(attributeMap(input.MessageSystemAttributes, 'MessageSystemAttributes'), 'system');
  if (size > q.maxMessageSize)
    throw invalidParameterValue(`One or more parameters are invalid. Reason: Message must be shorter than ${q.maxMessageSize} bytes.`);
  const groupId = optString(input, 'MessageGroupId');
  const dedupId = optString(input, 'MessageDeduplicationId');
  if (q.fifo) {
    if (!groupId) throw missingParameter('MessageGroupId');
    if (!/^[\x21-\x7E]{1,128}$/.test(groupId)) throw invalidParameterValue(`Value ${groupId} for parameter MessageGroupId is invalid. Reason: Invalid characters found.`);
    if (!dedupId && !q.contentBasedDedup)
      throw invalidParameterValue('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
    if (dedupId && !/^[\x21-\x7E]{1,128}$/.test(dedupId))
      throw invalidParameterValue(`Value ${dedupId} for parameter MessageDeduplicationId is invalid. Reason: Invalid characters found.`);
  } else if (dedupId !== undefined) {
    throw invalidParameterValue(
      `Value ${dedupId} for parameter MessageDeduplicationId is invalid. Reason: The request include parameter that is not valid for this queue type.`,
    );
  }
  return { body, size };
}

/** Stores one validated message (or finds its duplicate) and answers as SendMessage does. */
export function enqueue(store: SqsStore, q: Queue, input: Input): SendResult {
  const { body } = validate(q, input);
  const now = store.now();
  const attrs = cleanAttrs(attributeMap(input.MessageAttributes, 'MessageAttributes'));
  const sys = cleanAttrs(attributeMap(input.MessageSystemAttributes, 'MessageSystemAttributes'));
  const md5Body = md5Hex(body);
  const md5Attrs = md5OfAttributes(attrs);
  const md5Sys = md5OfAttributes(sys);
  const groupId = optString(input, 'MessageGroupId');
  let dedupId = optString(input, 'MessageDeduplicationId');
  const result = (id: string, seq?: string): SendResult => {
    const r: SendResult = { MD5OfMessageBody: md5Body, MessageId: id };
    if (md5Attrs) r.MD5OfMessageAttributes = md5Attrs;
    if (md5Sys) r.MD5OfMessageSystemAttributes = md5Sys;
    if (seq) r.SequenceNumber = seq;
    return r;
  };
  let seq: string | undefined;
  if (q.fifo) {
    dedupId ??= createHash('sha256').update(body, 'utf8').digest('hex');
    const key = q.dedupKey(groupId, dedupId);
    const dup = q.findDuplicate(key, now);
    if (dup) return result(dup.id, dup.seq);
    seq = store.nextSequenceNumber();
  }
  const delay = (input.DelaySeconds === undefined || input.DelaySeconds === null ? q.delaySeconds : Number(input.DelaySeconds)) * 1000;
  const m: Message = { id: randomUUID(), body, md5Body, sentAt: now, visibleAt: now + delay, receiveCount: 0 };
  if (attrs) {
    m.attrs = attrs;
    m.md5Attrs = md5Attrs;
  }
  if (sys) {
    m.sys = sys;
    m.md5Sys = md5Sys;
  }
  if (groupId) m.groupId = groupId;
  if (q.fifo) {
    m.dedupId = dedupId;
    m.seq = seq;
    q.rememberDedup(q.dedupKey(groupId, dedupId!), m.id, seq, now, now);
  }
  q.add(m, now);
  store.record({ t: 's', q: q.name, m });
  return result(m.id, seq);
}

export function sendMessage(ctx: SqsContext, input: Input): SendResult {
  const q = ctx.store.byUrl(reqString(input, 'QueueUrl'));
  return enqueue(ctx.store, q, input);
}

export interface BatchFailure {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

/** The checks every *Batch operation makes on its entry list before looking at an entry. */
export function checkBatch(list: Input[], entryName: string): void {
  if (list.length === 0) throw emptyBatchRequest(entryName);
  if (list.length > 10) throw tooManyEntries(list.length);
  const seen = new Set<string>();
  for (const e of list) {
    const id = e?.Id;
    if (typeof id !== 'string' || !BATCH_ID.test(id)) throw invalidBatchEntryId();
    if (seen.has(id)) throw batchEntryIdsNotDistinct(id);
    seen.add(id);
  }
}

export function failure(id: string, err: unknown): BatchFailure {
  if (err instanceof SqsError) return { Id: id, SenderFault: err.fault === 'Sender', Code: err.code, Message: err.message };
  throw err;
}

export function sendMessageBatch(ctx: SqsContext, input: Input): { Successful: Array<SendResult & { Id: string }>; Failed: BatchFailure[] } {
  const q = ctx.store.byUrl(reqString(input, 'QueueUrl'));
  const list = entries(input);
  checkBatch(list, 'SendMessageBatchRequestEntry');
  let total = 0;
  for (const e of list) {
    if (typeof e.MessageBody === 'string') total += Buffer.byteLength(e.MessageBody);
    for (const a of Object.entries((e.MessageAttributes as Record<string, AttributeValue> | undefined) ?? {}))
      total += Buffer.byteLength(a[0]) + Buffer.byteLength(a[1]?.DataType ?? '') + Buffer.byteLength(a[1]?.StringValue ?? '') + (a[1]?.BinaryValue?.length ?? 0);
  }
  if (total > 1048576) throw batchRequestTooLong(total, 1048576);
  const out = { Successful: [] as Array<SendResult & { Id: string }>, Failed: [] as BatchFailure[] };
  for (const e of list) {
    try {
      out.Successful.push({ Id: e.Id as string, ...enqueue(ctx.store, q, e) });
    } catch (err) {
      out.Failed.push(failure(e.Id as string, err));
    }
  }
  return out;
}
