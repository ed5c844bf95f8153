// Topics: CreateTopic (FIFO too), DeleteTopic, ListTopics, GetTopicAttributes, SetTopicAttributes,
// and tags on topics (TagResource, UntagResource, ListTagsForResource).
import { XmlMap } from '../../aws-shared/xml';
import { SnsError, invalidParameter, notFound, resourceNotFound } from '../errors';
import type { Tag, Topic } from '../model';
import { checkTopicName } from '../validation';
import { type Params, type SnsContext, paginate } from './context';

const SETTABLE = new Set([
  'DisplayName',
  'Policy',
  'DeliveryPolicy',
  'KmsMasterKeyId',
  'SignatureVersion',
  'TracingConfig',
  'ContentBasedDeduplication',
  'FifoThroughputScope',
  'ArchivePolicy',
  'DataProtectionPolicy',
  'FifoTopic',
  ...['Application', 'Firehose', 'HTTP', 'Lambda', 'SQS'].flatMap((p) => [`${p}SuccessFeedbackRoleArn`, `${p}SuccessFeedbackSampleRate`, `${p}FailureFeedbackRoleArn`]),
]);

function defaultPolicy(arn: string, accountId: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
        Resource: arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
      },
    ],
  });
}

export function topicArn(ctx: SnsContext, name: string): string {
  return `arn:aws:sns:${ctx.region}:${ctx.accountId}:${name}`;
}

export function mustGetTopic(ctx: SnsContext, arn: string | undefined): Topic {
  const t = arn ? ctx.store.topics.get(arn) : undefined;
  if (!t) throw notFound('Topic does not exist');
  return t;
}

function checkAttributes(attrs: Record<string, string>, fifo: boolean): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (!SETTABLE.has(k)) throw invalidParameter(`AttributeName`);
    if ((k === 'ContentBasedDeduplication' || k === 'FifoThroughputScope') && !fifo)
      throw invalidParameter(`Attributes Reason: ${k} is only valid for FIFO topics`);
    if (k === 'ContentBasedDeduplication' && v !== 'true' && v !== 'false') throw invalidParameter('Attributes Reason: ContentBasedDeduplication must be true or false');
  }
}

/** Creates a topic, or returns the existing one when its attributes agree (CreateTopic is idempotent). */
export function putTopic(ctx: SnsContext, name: string, attrs: Record<string, string>, tags: Tag[], deploying = false): Topic {
  const fifo = attrs.FifoTopic === 'true';
  if (attrs.FifoTopic === 'false') delete attrs.FifoTopic;
  checkTopicName(name, fifo || name.endsWith('.fifo'));
  if (name.endsWith('.fifo') && !fifo) throw invalidParameter('Topic Name');
  checkAttributes(attrs, fifo);
  const arn = topicArn(ctx, name);
  const existing = ctx.store.topics.get(arn);
  if (existing) {
    if (deploying) {
      existing.attributes = { ...attrs };
      existing.tags = tags;
      ctx.store.record({ t: 'topic', v: existing });
      return existing;
    }
    for (const [k, v] of Object.entries(attrs)) {
      if ((existing.attributes[k] ?? '') !== v) throw invalidParameter('Attributes Reason: Topic already exists with different attributes');
    }
    return existing;
  }
  const t: Topic = { arn, name, attributes: { ...attrs }, tags, fifo, createdAt: ctx.now() };
  ctx.store.record({ t: 'topic', v: t });
  return t;
}

export function createTopic(ctx: SnsContext, p: Params): unknown {
  const t = putTopic(ctx, p.required('Name'), p.map('Attributes'), p.tags());
  return { TopicArn: t.arn };
}

export function deleteTopic(ctx: SnsContext, p: Params): unknown {
  const arn = p.required('TopicArn');
  if (!ctx.store.topics.has(arn)) return {}; // deleting a topic that is not there succeeds, as on AWS
  for (const s of ctx.store.subscriptionsOf(arn)) ctx.store.record({ t: 'subd', arn: s.arn });
  ctx.store.record({ t: 'topicd', arn });
  return {};
}

export function listTopics(ctx: SnsContext, p: Params): unknown {
  const page = paginate([...ctx.store.topics.keys()].sort(), p.get('NextToken'));
  return { Topics: page.items.map((TopicArn) => ({ TopicArn })), NextToken: page.next };
}

export function topicAttributes(ctx: SnsContext, t: Topic): Record<string, string> {
  const subs = ctx.store.subscriptionsOf(t.arn);
  const out: Record<string, string> = {
    Policy: defaultPolicy(t.arn, ctx.accountId),
    Owner: ctx.accountId,
    SubscriptionsPending: String(subs.filter((s) => !s.confirmed).length),
    TopicArn: t.arn,
    EffectiveDeliveryPolicy: JSON.stringify({
      http: { defaultHealthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' }, disableSubscriptionOverrides: false, defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' } },
    }),
    SubscriptionsConfirmed: String(subs.filter((s) => s.confirmed).length),
    DisplayName: '',
    SubscriptionsDeleted: '0',
  };
  if (t.fifo) {
    out.FifoTopic = 'true';
    out.ContentBasedDeduplication = 'false';
  }
  return { ...out, ...t.attributes };
}

export function getTopicAttributes(ctx: SnsContext, p: Params): unknown {
  const t = mustGetTopic(ctx, p.required('TopicArn'));
  return { Attributes: new XmlMap(topicAttributes(ctx, t)) };
}

export function setTopicAttributes(ctx: SnsContext, p: Params): unknown {
  const t = mustGetTopic(ctx, p.required('TopicArn'));
  const name = p.required('AttributeName');
  const value = p.get('AttributeValue') ?? '';
  if (name === 'FifoTopic') throw invalidParameter('AttributeName');
  checkAttributes({ [name]: value }, t.fifo);
  if (value === '' && name !== 'DisplayName') delete t.attributes[name];
  else t.attributes[name] = value;
  ctx.store.record({ t: 'topic', v: t });
  return {};
}

function taggable(ctx: SnsContext, arn: string): Topic {
  const t = ctx.store.topics.get(arn);
  if (!t) throw resourceNotFound('Resource does not exist');
  return t;
}

export function tagResource(ctx: SnsContext, p: Params): unknown {
  const t = taggable(ctx, p.required('ResourceArn'));
  for (const tag of p.tags()) {
    if (!tag.Key || tag.Key.length > 128 || tag.Value.length > 256) throw invalidParameter('Tags Reason: a tag key must be 1 to 128 characters and a value at most 256');
    const i = t.tags.findIndex((x) => x.Key === tag.Key);
    if (i >= 0) t.tags[i] = tag;
    else t.tags.push(tag);
  }
  if (t.tags.length > 50) throw new SnsError('TagLimitExceeded', 'Could not complete request: tag quota of per resource exceeded', 400);
  ctx.store.record({ t: 'topic', v: t });
  return {};
}

export function untagResource(ctx: SnsContext, p: Params): unknown {
  const t = taggable(ctx, p.required('ResourceArn'));
  const keys = new Set(p.list('TagKeys'));
  t.tags = t.tags.filter((x) => !keys.has(x.Key));
  ctx.store.record({ t: 'topic', v: t });
  return {};
}

export function listTagsForResource(ctx: SnsContext, p: Params): unknown {
  return { Tags: taggable(ctx, p.required('ResourceArn')).tags };
}
