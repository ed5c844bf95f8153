// Queue management: CreateQueue, GetQueueUrl, Get/SetQueueAttributes, ListQueues, DeleteQueue,
// PurgeQueue, TagQueue, UntagQueue, ListQueueTags.
import { READ_ONLY, SETTABLE, defaults, parseRedriveAllowPolicy, parseRedrivePolicy, validateAttributes } from '../attributes';
import { invalidAttributeName, invalidParameterValue, purgeQueueInProgress, queueDoesNotExist, queueNameExists } from '../errors';
import type { Queue } from '../queue';
import type { SqsStore } from '../store';
import { type Input, type SqsContext, optInt, optString, reqString, stringList, stringMap } from './context';

const NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;

export function validateQueueName(name: string, fifoAttr: string | undefined): boolean {
  const fifo = fifoAttr === 'true';
  if (fifo && !FIFO_NAME.test(name))
    throw invalidParameterValue(
      'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
    );
  if (!fifo && !NAME.test(name)) throw invalidParameterValue('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
  return fifo;
}

function validateTags(tags: Record<string, string>): void {
  if (Object.keys(tags).length > 50) throw invalidParameterValue('Too many tags added for queue. Maximum number of tags per queue is 50.');
  for (const [k, v] of Object.entries(tags)) {
    if (!k || k.length > 128 || typeof v !== 'string' || v.length > 256) throw invalidParameterValue(`Tag ${k} is not valid.`);
  }
}

/** Checks a RedrivePolicy against the dead-letter queue it names: it exists, has the same type, and allows this source. */
export function checkRedrive(store: SqsStore, attrs: Record<string, string>, fifo: boolean, sourceArn: string): void {
  if (attrs.RedriveAllowPolicy) parseRedriveAllowPolicy(attrs.RedriveAllowPolicy);
  const policy = parseRedrivePolicy(attrs.RedrivePolicy);
  if (!policy) return;
  const value = attrs.RedrivePolicy;
  const dlq = store.byArn(policy.deadLetterTargetArn);
  if (!dlq) throw invalidParameterValue(`Value ${value} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.`);
  if (dlq.fifo !== fifo)
    throw invalidParameterValue(
      `Value ${value} for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as the source.`,
    );
  const allow = dlq.redriveAllow;
  if (allow && (allow.redrivePermission === 'denyAll' || (allow.redrivePermission === 'byQueue' && !allow.sourceQueueArns.includes(sourceArn))))
    throw invalidParameterValue(
      `Value ${value} for parameter RedrivePolicy is invalid. Reason: Queue ${dlq.arn} does not allow this queue to use it as a dead-letter queue.`,
    );
}

export function createQueue(ctx: SqsContext, input: Input): { QueueUrl: string } {
  const { store } = ctx;
  const name = reqString(input, 'QueueName');
  const attrs = { ...stringMap(input, 'Attributes') };
  const tags = stringMap(input, 'tags');
  const fifo = validateQueueName(name, attrs.FifoQueue);
  if (attrs.FifoQueue === 'false') delete attrs.FifoQueue;
  validateAttributes(attrs, fifo, true);
  validateTags(tags);
  const existing = store.queues.get(name);
  if (existing) {
    const current = existing.attributes;
    for (const [k, v] of Object.entries(attrs)) {
      if ((current[k] ?? defaults(fifo)[k] ?? '') !== v)
        throw queueNameExists(`A queue already exists with the same name and a different value for attribute ${k}`);
    }
    return { QueueUrl: store.urlOf(name) };
  }
  checkRedrive(store, attrs, fifo, store.arnOf(name));
  const now = store.now();
  store.createQueue({ name, attributes: attrs, tags, createdAt: now, modifiedAt: now });
  return { QueueUrl: store.urlOf(name) };
}

export function getQueueUrl(ctx: SqsContext, input: Input): { QueueUrl: string } {
  const name = reqString(input, 'QueueName');
  const owner = optString(input, 'QueueOwnerAWSAccountId');
  if ((owner && owner !== ctx.store.opts.accountId) || !ctx.store.queues.has(name)) throw queueDoesNotExist();
  return { QueueUrl: ctx.store.urlOf(name) };
}

export function queueAttributes(store: SqsStore, q: Queue, names: string[]): Record<string, string> {
  const all = names.includes('All');
  for (const n of names) if (n !== 'All' && !SETTABLE[n] && !READ_ONLY.includes(n)) throw invalidAttributeName(`Unknown Attribute ${n}.`);
  const want = (n: string) => all || names.includes(n);
  const out: Record<string, string> = {};
  const now = store.now();
  if (want('QueueArn')) out.QueueArn = q.arn;
  if (want('ApproximateNumberOfMessages') || want('ApproximateNumberOfMessagesNotVisible') || want('ApproximateNumberOfMessagesDelayed')) {
    const c = q.counts(now);
    if (want('ApproximateNumberOfMessages')) out.ApproximateNumberOfMessages = String(c.visible);
    if (want('ApproximateNumberOfMessagesNotVisible')) out.ApproximateNumberOfMessagesNotVisible = String(c.inFlight);
    if (want('ApproximateNumberOfMessagesDelayed')) out.ApproximateNumberOfMessagesDelayed = String(c.delayed);
  }
  if (want('CreatedTimestamp')) out.CreatedTimestamp = String(Math.floor(q.createdAt / 1000));
  if (want('LastModifiedTimestamp')) out.LastModifiedTimestamp = String(Math.floor(q.modifiedAt / 1000));
  for (const [k, v] of Object.entries(q.attributes)) if (want(k)) out[k] = v;
  return out;
}

export function getQueueAttributes(ctx: SqsContext, input: Input): { Attributes?: Record<string, string> } {
  const q = ctx.store.byUrl(reqString(input, 'QueueUrl'));
  const names = stringList(input, 'AttributeNames');
  const attrs = queueAttributes(ctx.store, q, names);
  return Object.keys(attrs).length ? { Attributes: attrs } : {};
}

export function setQueueAttributes(ctx: SqsContext, input: Input): Record<string, never> {
  const { store } = ctx;
  const q = store.byUrl(reqString(input, 'QueueUrl'));
  const attrs = stringMap(input, 'Attributes');
  validateAttributes(attrs, q.fifo, false);
  checkRedrive(store, { ...q.attributes, ...attrs }, q.fifo, q.arn);
  q.setAttributes(attrs, store.now());
  store.saveQueue(q);
  return {};
}

export function listQueues(ctx: SqsContext, input: Input): { QueueUrls?: string[]; NextToken?: string } {
  const { store } = ctx;
  const prefix = optString(input, 'QueueNamePrefix') ?? '';
  const max = optInt(input, 'MaxResults', 1, 1000);
  const token = optString(input, 'NextToken');
  const names = [...store.queues.keys()].filter((n) => n.startsWith(prefix)).sort();
  let start = 0;
  if (token) {
    const after = Buffer.from(token, 'base64url').toString('utf8');
    start = names.findIndex((n) => n > after);
    if (start < 0) start = names.length;
  }
  const limit = max ?? 1000;
  const page = names.slice(start, start + limit);
  const out: { QueueUrls?: string[]; NextToken?: string } = {};
  if (page.length) out.QueueUrls = page.map((n) => store.urlOf(n));
  // AWS gives a NextToken only when MaxResults was set and more remain
  if (max !== undefined && start + limit < names.length) out.NextToken = Buffer.from(page[page.length - 1]!, 'utf8').toString('base64url');
  return out;
}

export function deleteQueue(ctx: SqsContext, input: Input): Record<string, never> {
  const q = ctx.store.byUrl(reqString(input, 'QueueUrl'));
  ctx.store.deleteQueue(q);
  return {};
}

export function purgeQueue(ctx: SqsContext, input: Input): Record<string, never> {
  const { store } = ctx;
  const q = store.byUrl(reqString(input, 'QueueUrl'));
  const now = store.now();
  if (q.lastPurgeAt && now - q.lastPurgeAt < 60_000) throw purgeQueueInProgress(q.name);
  q.purge();
  q.lastPurgeAt = now;
  store.record({ t: 'p', q: q.name, at: now });
  return {};
}

export function tagQueue(ctx: SqsContext, input: Input): Record<string, never> {
  const q = ctx.store.byUrl(reqString(input, 'QueueUrl'));
  const tags = stringMap(input, 'Tags');
  validateTags({ ...q.tags, ...tags });
  Object.assign(q.tags, tags);
  ctx.store.saveQueue(q);
  return {};
}

export function untagQueue(ctx: SqsContext, input: Input): Record<string, never> {
  const q = ctx.store.byUrl(reqString(input, 'QueueUrl'));
  for (const k of stringList(input, 'TagKeys')) delete q.tags[k];
  ctx.store.saveQueue(q);
  return {};
}

export function listQueueTags(ctx: SqsContext, input: Input): { Tags?: Record<string, string> } {
  const q = ctx.store.byUrl(reqString(input, 'QueueUrl'));
  return Object.keys(q.tags).length ? { Tags: { ...q.tags } } : {};
}
