/**
 * Subscriptions: Subscribe, ConfirmSubscription, Unsubscribe, ListSubscriptions(ByTopic),
 * Get/SetSubscriptionAttributes.
 *
 * Protocols: sqs, lambda and application (same account) and sms are confirmed at once; email
 * and email-json wait for ConfirmSubscription with the token that SNS mails them (kept in the
 * email log and at /_aws/sns/subscription-tokens/<arn>). http, https and firehose are refused.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { XmlMap } from '../../aws-shared/xml';
import { invalidParameter, notFound } from '../errors';
import { parseFilterPolicy } from '../filter-policy';
import type { Subscription } from '../model';
import { isE164 } from '../validation';
import { type Params, type SnsContext, paginate } from './context';
import { mustGetTopic } from './topics';

const PROTOCOLS = new Set(['sqs', 'lambda', 'email', 'email-json', 'sms', 'application']);
const NOT_LOCAL = new Set(['http', 'https', 'firehose']);
const RAW_CAPABLE = new Set(['sqs', 'http', 'https', 'firehose']);
const SETTABLE = new Set(['DeliveryPolicy', 'FilterPolicy', 'FilterPolicyScope', 'RawMessageDelivery', 'RedrivePolicy', 'SubscriptionRoleArn', 'ReplayPolicy']);

function checkEndpoint(ctx: SnsContext, protocol: string, endpoint: string): void {
  switch (protocol) {
    case 'sqs':
      if (!/^arn:aws:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+$/.test(endpoint)) throw invalidParameter('SQS endpoint ARN');
      break;
    case 'lambda':
      if (!/^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/.test(endpoint)) throw invalidParameter('Lambda function ARN');
      break;
    case 'email':
    case 'email-json':
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(endpoint)) throw invalidParameter('Email address');
      break;
    case 'sms':
      if (!isE164(endpoint.replace(/[\s()-]/g, ''))) throw invalidParameter('SMS endpoint');
      break;
    case 'application':
      if (!ctx.store.endpoints.has(endpoint)) throw invalidParameter('Application endpoint arn invalid');
      break;
  }
}

function checkAttributes(protocol: string, attrs: Record<string, string>): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (!SETTABLE.has(k)) throw invalidParameter(`Attributes Reason: Unknown attribute ${k}`);
    if (k === 'RawMessageDelivery') {
      if (v !== 'true' && v !== 'false') throw invalidParameter('Attributes Reason: RawMessageDelivery: Invalid value [' + v + ']. Must be true or false.');
      if (v === 'true' && !RAW_CAPABLE.has(protocol)) throw invalidParameter(`Attributes Reason: Delivery protocol [${protocol}] does not support raw message delivery.`);
    }
    if (k === 'FilterPolicyScope' && v !== 'MessageAttributes' && v !== 'MessageBody')
      throw invalidParameter('Attributes Reason: FilterPolicyScope: Invalid value [' + v + ']. Please use either MessageBody or MessageAttributes');
    if (k === 'RedrivePolicy' && v !== '') {
      let arn: unknown;
      try {
        arn = (JSON.parse(v) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
      } catch {
        arn = undefined;
      }
      if (typeof arn !== 'string' || !arn.startsWith('arn:aws:sqs:')) throw invalidParameter('RedrivePolicy: Invalid deadLetterTargetArn');
    }
  }
  if (attrs.FilterPolicy !== undefined) parseFilterPolicy(attrs.FilterPolicy, attrs.FilterPolicyScope ?? 'MessageAttributes');
}

export function mustGetSubscription(ctx: SnsContext, arn: string): Subscription {
  const s = ctx.store.subscriptions.get(arn);
  if (!s) throw notFound('Subscription does not exist');
  return s;
}

/** Subscribe, also used at deploy time for AWS::SNS::Subscription. */
export function putSubscription(ctx: SnsContext, topicArnValue: string, protocolIn: string, endpoint: string, attrs: Record<string, string>): Subscription {
  const topic = mustGetTopic(ctx, topicArnValue);
  const protocol = protocolIn.toLowerCase();
  if (NOT_LOCAL.has(protocol)) throw invalidParameter(`Protocol Reason: ${protocol} subscriptions are not delivered by the local SNS`);
  if (!PROTOCOLS.has(protocol)) throw invalidParameter(`Amazon SNS does not support this protocol string: ${protocolIn}`);
  if (!endpoint) throw invalidParameter('Endpoint Reason: no value for required parameter');
  if (topic.fifo && protocol !== 'sqs') throw invalidParameter(`Invalid protocol type: ${protocol}`);
  checkEndpoint(ctx, protocol, endpoint);
  checkAttributes(protocol, attrs);
  const existing = ctx.store.subscriptionsOf(topic.arn).find((s) => s.protocol === protocol && s.endpoint === endpoint);
  if (existing) {
    for (const [k, v] of Object.entries(attrs)) {
      if ((existing.attributes[k] ?? (k === 'RawMessageDelivery' ? 'false' : '')) !== v)
        throw invalidParameter('Attributes Reason: Subscription already exists with different attributes');
    }
    return existing;
  }
  const pending = protocol === 'email' || protocol === 'email-json';
  const s: Subscription = { arn: `${topic.arn}:${randomUUID()}`, topicArn: topic.arn, protocol, endpoint, attributes: { ...attrs }, confirmed: !pending };
  if (pending) s.token = randomBytes(64).toString('hex');
  ctx.store.record({ t: 'sub', v: s });
  if (pending) ctx.delivery.confirmationRequest(s);
  return s;
}

export function subscribe(ctx: SnsContext, p: Params): unknown {
  const s = putSubscription(ctx, p.required('TopicArn'), p.required('Protocol'), p.get('Endpoint') ?? '', p.map('Attributes'));
  return { SubscriptionArn: s.confirmed || p.bool('ReturnSubscriptionArn') ? s.arn : 'pending confirmation' };
}

export function confirmSubscription(ctx: SnsContext, p: Params): unknown {
  const topicArn = p.required('TopicArn');
  const token = p.required('Token');
  mustGetTopic(ctx, topicArn);
  const s = [...ctx.store.subscriptions.values()].find((x) => x.topicArn === topicArn && x.token === token);
  if (!s) throw invalidParameter('Token');
  if (!s.confirmed) {
    s.confirmed = true;
    ctx.store.record({ t: 'sub', v: s });
  }
  return { SubscriptionArn: s.arn };
}

export function unsubscribe(ctx: SnsContext, p: Params): unknown {
  const s = mustGetSubscription(ctx, p.required('SubscriptionArn'));
  ctx.store.record({ t: 'subd', arn: s.arn });
  return {};
}

function listed(ctx: SnsContext, s: Subscription): Record<string, string> {
  return { SubscriptionArn: s.confirmed ? s.arn : 'PendingConfirmation', Owner: ctx.accountId, Protocol: s.protocol, Endpoint: s.endpoint, TopicArn: s.topicArn };
}

export function listSubscriptions(ctx: SnsContext, p: Params): unknown {
  const page = paginate([...ctx.store.subscriptions.values()], p.get('NextToken'));
  return { Subscriptions: page.items.map((s) => listed(ctx, s)), NextToken: page.next };
}

export function listSubscriptionsByTopic(ctx: SnsContext, p: Params): unknown {
  const topic = mustGetTopic(ctx, p.required('TopicArn'));
  const page = paginate(ctx.store.subscriptionsOf(topic.arn), p.get('NextToken'));
  return { Subscriptions: page.items.map((s) => listed(ctx, s)), NextToken: page.next };
}

export function subscriptionAttributes(ctx: SnsContext, s: Subscription): Record<string, string> {
  const out: Record<string, string> = {
    ConfirmationWasAuthenticated: String(s.confirmed && s.protocol !== 'email' && s.protocol !== 'email-json'),
    PendingConfirmation: String(!s.confirmed),
    Owner: ctx.accountId,
    RawMessageDelivery: 'false',
    TopicArn: s.topicArn,
    Endpoint: s.endpoint,
    Protocol: s.protocol,
    SubscriptionArn: s.arn,
    SubscriptionPrincipal: `arn:aws:iam::${ctx.accountId}:root`,
  };
  const merged = { ...out, ...s.attributes };
  if (merged.FilterPolicy && !merged.FilterPolicyScope) merged.FilterPolicyScope = 'MessageAttributes';
  return merged;
}

export function getSubscriptionAttributes(ctx: SnsContext, p: Params): unknown {
  return { Attributes: new XmlMap(subscriptionAttributes(ctx, mustGetSubscription(ctx, p.required('SubscriptionArn')))) };
}

export function setSubscriptionAttributes(ctx: SnsContext, p: Params): unknown {
  const s = mustGetSubscription(ctx, p.required('SubscriptionArn'));
  const name = p.required('AttributeName');
  const value = p.get('AttributeValue') ?? '';
  const next = { ...s.attributes, [name]: value };
  checkAttributes(s.protocol, { [name]: value, ...(name === 'FilterPolicyScope' && s.attributes.FilterPolicy ? { FilterPolicy: s.attributes.FilterPolicy } : {}) });
  if (name === 'FilterPolicy' && value !== '') parseFilterPolicy(value, next.FilterPolicyScope ?? 'MessageAttributes');
  if (value === '' && (name === 'FilterPolicy' || name === 'RedrivePolicy')) delete next[name];
  s.attributes = next;
  ctx.store.record({ t: 'sub', v: s });
  return {};
}
