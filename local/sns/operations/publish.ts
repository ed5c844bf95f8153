/**
 * Publish (to a topic, to a platform endpoint by TargetArn, or to a phone number) and
 * PublishBatch, with SNS's checks: one target, a message, subject, MessageStructure=json,
 * attributes and size, E.164 phone numbers, FIFO topics' group and deduplication ids.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Published } from '../delivery';
import { SnsError, batchIdsNotDistinct, batchTooLong, emptyBatch, endpointDisabled, invalidBatchEntryId, invalidParameter, platformApplicationDisabled, tooManyEntries } from '../errors';
import type { SnsMessageAttribute, Topic } from '../model';
import { MAX_MESSAGE_BYTES, checkMessageSize, checkPhoneNumber, checkSubject, parseStructured } from '../validation';
import { type Params, type SnsContext } from './context';
import { mustGetTopic } from './topics';

const DEDUP_WINDOW_MS = 5 * 60_000;
/** FIFO topics' deduplication: topic ARN => dedup id => (message id, sequence number, expiry); in memory. */
const dedup = new WeakMap<SnsContext, Map<string, Map<string, { id: string; seq: string; exp: number }>>>();

interface PublishInput {
  topicArn?: string;
  targetArn?: string;
  phoneNumber?: string;
  message?: string;
  subject?: string;
  structure?: string;
  attributes?: Record<string, SnsMessageAttribute>;
  groupId?: string;
  deduplicationId?: string;
}

function inputOf(p: Params): PublishInput {
  return {
    topicArn: p.get('TopicArn'),
    targetArn: p.get('TargetArn'),
    phoneNumber: p.get('PhoneNumber'),
    message: p.get('Message'),
    subject: p.get('Subject'),
    structure: p.get('MessageStructure'),
    attributes: p.messageAttributes(),
    groupId: p.get('MessageGroupId'),
    deduplicationId: p.get('MessageDeduplicationId'),
  };
}

function fifoIds(ctx: SnsContext, topic: Topic, i: PublishInput, message: string): { groupId?: string; deduplicationId?: string } {
  if (!topic.fifo) {
    if (i.deduplicationId !== undefined)
      throw invalidParameter('MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
    return { groupId: i.groupId };
  }
  if (!i.groupId) throw invalidParameter('The MessageGroupId parameter is required for FIFO topics');
  let d = i.deduplicationId;
  if (!d) {
    if ((topic.attributes.ContentBasedDeduplication ?? 'false') !== 'true')
      throw invalidParameter('The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
    d = createHash('sha256').update(message).digest('hex');
  }
  return { groupId: i.groupId, deduplicationId: d };
}

/** Publishes one message; resolves with what Publish answers. */
export async function publishOne(ctx: SnsContext, i: PublishInput): Promise<{ MessageId: string; SequenceNumber?: string }> {
  if (i.message === undefined || i.message === '') throw invalidParameter('Empty message');
  const targets = [i.topicArn, i.targetArn, i.phoneNumber].filter((x) => x !== undefined && x !== '');
  if (targets.length === 0) throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
  if (targets.length > 1) throw invalidParameter('TopicArn or TargetArn Reason: Only one of TopicArn, TargetArn or PhoneNumber may be given');
  checkSubject(i.subject);
  let structured: Record<string, string> | undefined;
  if (i.structure !== undefined && i.structure !== '') {
    if (i.structure !== 'json') throw invalidParameter('MessageStructure');
    structured = parseStructured(i.message);
  }
  checkMessageSize(i.message, i.attributes);
  const n: Published = { messageId: randomUUID(), topicArn: '', message: structured ? structured.default! : i.message, timestamp: new Date(ctx.now()).toISOString() };
  if (i.subject !== undefined) n.subject = i.subject;
  if (i.attributes) n.attributes = i.attributes;
  if (structured) n.structured = structured;

  if (i.phoneNumber) {
    checkPhoneNumber(i.phoneNumber);
    const fault = ctx.delivery.fault('sms');
    if (fault) throw fault;
    ctx.delivery.toSms(i.phoneNumber, n);
    return { MessageId: n.messageId };
  }
  const target = i.topicArn ?? i.targetArn!;
  if (i.targetArn && !/:endpoint\//.test(i.targetArn) && !ctx.store.topics.has(i.targetArn) && !i.targetArn.startsWith(`arn:aws:sns:`))
    throw invalidParameter('TargetArn Reason: Invalid ARN');
  if (i.targetArn && /:endpoint\//.test(i.targetArn)) {
    const ep = ctx.store.endpoints.get(i.targetArn);
    if (!ep) throw invalidParameter('TargetArn Reason: No endpoint found for the target arn specified');
    if (ctx.store.applications.get(ep.applicationArn)?.attributes.Enabled === 'false') throw platformApplicationDisabled();
    if (ep.attributes.Enabled === 'false') throw endpointDisabled();
    const fault = ctx.delivery.fault('application');
    if (fault) throw fault;
    ctx.delivery.toEndpoint(ep, n);
    return { MessageId: n.messageId };
  }
  const topic = mustGetTopic(ctx, target);
  n.topicArn = topic.arn;
  const ids = fifoIds(ctx, topic, i, i.message);
  if (ids.groupId) n.groupId = ids.groupId;
  if (topic.fifo) {
    const now = ctx.now();
    let byTopic = dedup.get(ctx);
    if (!byTopic) dedup.set(ctx, (byTopic = new Map()));
    let seen = byTopic.get(topic.arn);
    if (!seen) byTopic.set(topic.arn, (seen = new Map()));
    const prior = seen.get(ids.deduplicationId!);
    if (prior && prior.exp > now) return { MessageId: prior.id, SequenceNumber: prior.seq };
    n.deduplicationId = ids.deduplicationId;
    n.sequenceNumber = ctx.store.nextSequenceNumber();
    seen.set(ids.deduplicationId!, { id: n.messageId, seq: n.sequenceNumber, exp: now + DEDUP_WINDOW_MS });
  }
  await ctx.delivery.toTopic(topic, n);
  return n.sequenceNumber ? { MessageId: n.messageId, SequenceNumber: n.sequenceNumber } : { MessageId: n.messageId };
}

export function publish(ctx: SnsContext, p: Params): Promise<unknown> {
  return publishOne(ctx, inputOf(p));
}

export async function publishBatch(ctx: SnsContext, p: Params): Promise<unknown> {
  const topicArn = p.required('TopicArn');
  mustGetTopic(ctx, topicArn);
  const entries = p.structList('PublishBatchRequestEntries');
  if (entries.length === 0) throw emptyBatch();
  if (entries.length > 10) throw tooManyEntries();
  const seen = new Set<string>();
  let total = 0;
  for (const e of entries) {
    const id = e.get('Id');
    if (!id || !/^[A-Za-z0-9_-]{1,80}$/.test(id)) throw invalidBatchEntryId();
    if (seen.has(id)) throw batchIdsNotDistinct();
    seen.add(id);
    total += Buffer.byteLength(e.get('Message') ?? '');
  }
  if (total > MAX_MESSAGE_BYTES) throw batchTooLong();
  const Successful: Array<Record<string, string>> = [];
  const Failed: Array<Record<string, unknown>> = [];
  for (const e of entries) {
    const id = e.get('Id')!;
    try {
      const r = await publishOne(ctx, { ...inputOf(e), topicArn, targetArn: undefined, phoneNumber: undefined });
      Successful.push({ Id: id, ...r });
    } catch (err) {
      if (!(err instanceof SnsError)) throw err;
      Failed.push({ Id: id, Code: err.code, Message: err.message, SenderFault: err.fault === 'Sender' });
    }
  }
  return { Successful, Failed };
}
