// ReceiveMessage: batch size, visibility timeout, long polling that answers as soon as a message
// is there, the attributes asked for, ReceiveRequestAttemptId on FIFO queues, and the move of
// messages received too often to the dead-letter queue.
import type { AttributeValue } from '../md5';
import { md5OfAttributes } from '../md5';
import type { Message, Queue } from '../queue';
import type { SqsStore } from '../store';
import { invalidAttributeName } from '../errors';
import { type Input, type SqsContext, optInt, optString, reqString, stringList } from './context';

const SYSTEM_NAMES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
];

export interface ReceivedMessage {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes?: Record<string, string>;
  MD5OfMessageAttributes?: string;
  MessageAttributes?: Record<string, AttributeValue>;
}

export function receiptHandle(q: Queue, m: Message): string {
  return Buffer.from(`${q.name} ${m.id} ${m.handle}`, 'utf8').toString('base64');
}

/** [queue name, message id, nonce] of a receipt handle, or undefined when it is not one of ours. */
export function parseReceiptHandle(handle: string): [string, string, string] | undefined {
  if (!/^[A-Za-z0-9+/=]+$/.test(handle)) return undefined;
  const parts = Buffer.from(handle, 'base64').toString('utf8').split(' ');
  return parts.length === 3 && parts.every(Boolean) ? (parts as [string, string, string]) : undefined;
}

function systemAttributes(store: SqsStore, m: Message, names: Set<string>): Record<string, string> | undefined {
  const all = names.has('All');
  const want = (n: string) => all || names.has(n);
  const out: Record<string, string> = {};
  if (want('SenderId')) out.SenderId = m.senderId ?? store.opts.accountId;
  if (want('SentTimestamp')) out.SentTimestamp = String(m.sentAt);
  if (want('ApproximateReceiveCount')) out.ApproximateReceiveCount = String(m.receiveCount);
  if (want('ApproximateFirstReceiveTimestamp') && m.firstReceiveAt !== undefined) out.ApproximateFirstReceiveTimestamp = String(m.firstReceiveAt);
  if (want('SequenceNumber') && m.seq) out.SequenceNumber = m.seq;
  if (want('MessageDeduplicationId') && m.dedupId) out.MessageDeduplicationId = m.dedupId;
  if (want('MessageGroupId') && m.groupId) out.MessageGroupId = m.groupId;
  if (want('AWSTraceHeader') && m.sys?.AWSTraceHeader?.StringValue) out.AWSTraceHeader = m.sys.AWSTraceHeader.StringValue;
  if (want('DeadLetterQueueSourceArn') && m.dlqSource) out.DeadLetterQueueSourceArn = m.dlqSource;
  return Object.keys(out).length ? out : undefined;
}

function messageAttributes(m: Message, names: string[]): Record<string, AttributeValue> | undefined {
  if (!m.attrs || names.length === 0) return undefined;
  if (names.includes('All') || names.includes('.*')) return m.attrs;
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(m.attrs)) {
    if (names.some((n) => (n.endsWith('.*') ? k.startsWith(n.slice(0, -1)) : n === k))) out[k] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

export function format(store: SqsStore, q: Queue, m: Message, sysNames: Set<string>, attrNames: string[]): ReceivedMessage {
  const r: ReceivedMessage = { MessageId: m.id, ReceiptHandle: receiptHandle(q, m), MD5OfBody: m.md5Body, Body: m.body };
  const sys = systemAttributes(store, m, sysNames);
  if (sys) r.Attributes = sys;
  const attrs = messageAttributes(m, attrNames);
  if (attrs) {
    r.MD5OfMessageAttributes = attrs === m.attrs ? m.md5Attrs : md5OfAttributes(attrs);
    r.MessageAttributes = attrs;
  }
  return r;
}

function sleep(ms: number, q: Queue, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      remove();
      signal?.removeEventListener('abort', finish);
      resolve();
    };
    const timer = setTimeout(finish, ms);
    const remove = q.addWaiter({ wake: finish });
    signal?.addEventListener('abort', finish);
  });
}

export async function receiveMessage(ctx: SqsContext, input: Input): Promise<{ Messages?: ReceivedMessage[] }> {
  const { store } = ctx;
  const q = store.byUrl(reqString(input, 'QueueUrl'));
  const max = optInt(input, 'MaxNumberOfMessages', 1, 10) ?? 1;
  const visibility = optInt(input, 'VisibilityTimeout', 0, 43200) ?? q.visibilityTimeout;
  const wait = optInt(input, 'WaitTimeSeconds', 0, 20, 'Must be >= 0 and <= 20, if provided.') ?? q.waitTimeSeconds;
  const attemptId = optString(input, 'ReceiveRequestAttemptId');
  const sysNames = new Set([...stringList(input, 'AttributeNames'), ...stringList(input, 'MessageSystemAttributeNames')]);
  for (const n of sysNames) if (n !== 'All' && !SYSTEM_NAMES.includes(n)) throw invalidAttributeName(`Unknown Attribute ${n}.`);
  const attrNames = stringList(input, 'MessageAttributeNames');
  const deadline = Date.now() + wait * 1000;
  for (;;) {
    const now = store.now();
    const msgs = q.take(max, visibility * 1000, now, store.record, (m) => store.moveToDeadLetterQueue(q, m), attemptId);
    if (msgs.length) return { Messages: msgs.map((m) => format(store, q, m, sysNames, attrNames)) };
    const remaining = deadline - Date.now();
    if (remaining <= 0 || ctx.signal?.aborted || store.closed || store.queues.get(q.name) !== q) return {};
    const next = q.nextVisibleAt(now);
    // with an injected clock the next due time is only a hint: look again at least every second
    const nap = Math.max(1, Math.min(remaining, next === undefined ? remaining : next - now, 1000));
    await sleep(nap, q, ctx.signal);
  }
}
