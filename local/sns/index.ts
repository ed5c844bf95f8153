/**
 * The local Amazon SNS: a factory that the local cloud calls with its data folder, region,
 * account, edge URL and the two functions SNS delivers through (send to a local SQS queue,
 * invoke a Lambda function); it returns the edge route (the query-protocol API and LocalStack's
 * /_aws/sns inspection endpoints), the deploy-time calls for AWS::SNS::Topic and
 * AWS::SNS::Subscription, in-process publish, the fault switch, and `close()`. See README.md.
 */
import type { EdgeRoute } from '../edge';
import { type DeliveryTargets, Delivery, type FaultChannel } from './delivery';
import { handleInspection } from './inspection';
import type { SnsContext } from './operations/context';
import { publishOne } from './operations/publish';
import { putSubscription } from './operations/subscriptions';
import { putTopic } from './operations/topics';
import { handleSns, isSnsRequest } from './protocol';
import { SnsStore } from './store';
import type { SnsMessageAttribute, Tag } from './model';

export { SnsError } from './errors';
export type { SqsSendOptions } from './delivery';
export type { SnsMessageAttribute } from './model';

export interface SnsOptions extends DeliveryTargets {
  dataDir: string;
  region: string;
  accountId: string;
  /** the edge endpoint's URL (for the UnsubscribeURL and SubscribeURL of messages) */
  edgeUrl: () => string;
  clock?: () => number;
  log?: (m: string) => void;
  /** how many SMS, push and email deliveries are kept for inspection, each (default 10,000) */
  maxKeptMessages?: number;
}

export interface SnsEmulator {
  route: EdgeRoute;
  /** AWS::SNS::Topic from its resolved properties (inline Subscription list too); `name` when TopicName is absent. */
  deployTopic(props: Record<string, unknown>, opts?: { name?: string }): { TopicArn: string; TopicName: string };
  /** AWS::SNS::Subscription from its resolved properties. */
  deploySubscription(props: Record<string, unknown>): { SubscriptionArn: string };
  /** Publish, in process (for EventBridge targets, CloudWatch alarms, SES events). */
  publish(input: { TopicArn?: string; TargetArn?: string; PhoneNumber?: string; Message: string; Subject?: string; MessageAttributes?: Record<string, SnsMessageAttribute>; MessageGroupId?: string; MessageDeduplicationId?: string }): Promise<{ MessageId: string; SequenceNumber?: string }>;
  /** Makes a channel fail (a query error code such as 'InternalError' or 'Throttled'), or clears it (undefined). */
  setFault(channel: FaultChannel, code: string | undefined): void;
  /** Opts a phone number out of SMS, as a reply of STOP would (OptInPhoneNumber undoes it). */
  optOut(phoneNumber: string): void;
  /** Resolves when background deliveries (Lambda invocations) have ended. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

function attrString(v: unknown): string {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

export function createSnsEmulator(opts: SnsOptions): SnsEmulator {
  const log = opts.log ?? (() => {});
  const now = opts.clock ?? Date.now;
  const store = new SnsStore(opts.dataDir, opts.maxKeptMessages ?? 10_000, log);
  const delivery = new Delivery(store, { sqsSend: opts.sqsSend, invokeLambda: opts.invokeLambda }, () => ({ region: opts.region, edgeUrl: opts.edgeUrl() }), now, log);
  const ctx: SnsContext = { store, region: opts.region, accountId: opts.accountId, now, edgeUrl: opts.edgeUrl, delivery };

  const route: EdgeRoute = async (req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/_aws/sns/') || url.startsWith('/_local/sns/')) return handleInspection(store, delivery, opts.region, req, res);
    if (!(await isSnsRequest(req))) return false;
    await handleSns(req, res, ctx);
    return true;
  };

  return {
    route,
    deployTopic(props, o = {}) {
      let name = typeof props.TopicName === 'string' ? props.TopicName : o.name;
      if (!name) throw new Error('deployTopic: the topic has no TopicName and no name was given');
      const fifo = props.FifoTopic === true || props.FifoTopic === 'true';
      if (fifo && typeof props.TopicName !== 'string' && !name.endsWith('.fifo')) name = `${name.slice(0, 251)}.fifo`;
      const attrs: Record<string, string> = {};
      for (const k of ['DisplayName', 'KmsMasterKeyId', 'SignatureVersion', 'TracingConfig', 'ContentBasedDeduplication', 'FifoThroughputScope', 'ArchivePolicy', 'DataProtectionPolicy']) {
        if (props[k] !== undefined && props[k] !== null) attrs[k] = attrString(props[k]);
      }
      if (fifo) attrs.FifoTopic = 'true';
      const tags = ((props.Tags as Tag[] | undefined) ?? []).map((t) => ({ Key: t.Key, Value: String(t.Value) }));
      const topic = putTopic(ctx, name, attrs, tags, true);
      for (const s of (props.Subscription as Array<{ Endpoint: string; Protocol: string }> | undefined) ?? []) putSubscription(ctx, topic.arn, s.Protocol, s.Endpoint, {});
      store.flush();
      return { TopicArn: topic.arn, TopicName: topic.name };
    },
    deploySubscription(props) {
      const attrs: Record<string, string> = {};
      for (const k of ['RawMessageDelivery', 'FilterPolicy', 'FilterPolicyScope', 'RedrivePolicy', 'DeliveryPolicy', 'SubscriptionRoleArn', 'ReplayPolicy']) {
        if (props[k] !== undefined && props[k] !== null) attrs[k] = attrString(props[k]);
      }
      if (attrs.FilterPolicy && !attrs.FilterPolicyScope) attrs.FilterPolicyScope = 'MessageAttributes';
      const s = putSubscription(ctx, String(props.TopicArn), String(props.Protocol), String(props.Endpoint ?? ''), attrs);
      store.flush();
      return { SubscriptionArn: s.arn };
    },
    async publish(input) {
      const r = await publishOne(ctx, {
        topicArn: input.TopicArn,
        targetArn: input.TargetArn,
        phoneNumber: input.PhoneNumber,
        message: input.Message,
        subject: input.Subject,
        attributes: input.MessageAttributes,
        groupId: input.MessageGroupId,
        deduplicationId: input.MessageDeduplicationId,
      });
      store.flush();
      return r;
    },
    setFault(channel, code) {
      if (code) delivery.faults[channel] = code;
      else delete delivery.faults[channel];
    },
    optOut(phoneNumber) {
      store.record({ t: 'optout', n: phoneNumber, out: true });
      store.flush();
    },
    idle: () => delivery.idle(),
    async close() {
      store.close();
    },
  };
}

