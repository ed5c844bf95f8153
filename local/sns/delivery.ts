/**
 * Fan-out: what a published message becomes for each kind of subscriber.
 *
 * - sqs: into the local SQS through the injected `sqsSend`, as the SNS JSON envelope, or the bare
 *   message with its attributes as SQS message attributes when RawMessageDelivery is true. FIFO
 *   topics pass their MessageGroupId and deduplication id on. Publish answers once these sends
 *   are done, so a message published is already in the queue.
 * - lambda: the injected `invokeLambda` with the event Lambda gets from SNS, in the background.
 *   A failed invocation is retried twice (1 s, then 2 s later), as Lambda retries asynchronous
 *   invocations.
 * - sms, application (push), email, email-json: recorded for the inspection endpoints.
 * A subscription's RedrivePolicy sends what could not be delivered to its SQS dead-letter queue.
 * Filter policies decide per subscription (filter-policy.ts).
 *
 * `faults` makes a channel fail on purpose (the local switch Notifications tests its failure
 * branch with): a direct Publish to a phone number (sms) or to a platform endpoint
 * (application) is then answered with that error; deliveries of topics to such subscribers are
 * dropped and logged.
 */
import { randomUUID } from 'node:crypto';
import type { EnvelopeContext, Notification } from './envelope';
import { confirmationEnvelope, envelope, lambdaEvent } from './envelope';
import { SnsError } from './errors';
import { matchesFilterPolicy, parseFilterPolicy } from './filter-policy';
import type { PlatformEndpoint, SnsMessageAttribute, Subscription, Topic } from './model';
import type { SnsStore } from './store';

export interface SqsSendOptions {
  attributes?: Record<string, SnsMessageAttribute>;
  groupId?: string;
  deduplicationId?: string;
}

export interface DeliveryTargets {
  /** sends a message to a queue of the local SQS (by ARN) */
  sqsSend?: (queueArn: string, body: string, opts: SqsSendOptions) => unknown;
  /** invokes a Lambda function asynchronously (by ARN) with the SNS event */
  invokeLambda?: (functionArn: string, event: unknown) => Promise<unknown>;
}

export type FaultChannel = 'sms' | 'application' | 'email';

const FAULT_STATUS: Record<string, number> = { Throttled: 429, InternalError: 500, KMSThrottling: 400, EndpointDisabled: 400, OptedOut: 400, InvalidParameter: 400 };

export interface Published extends Notification {
  /** MessageStructure=json: the message per protocol */
  structured?: Record<string, string>;
  groupId?: string;
  deduplicationId?: string;
}

export class Delivery {
  readonly faults: Partial<Record<FaultChannel, string>> = {};
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly store: SnsStore,
    private readonly targets: DeliveryTargets,
    private readonly env: () => EnvelopeContext,
    private readonly now: () => number,
    private readonly log: (m: string) => void,
  ) {}

  /** The error a faulted channel answers with, if any. */
  fault(channel: FaultChannel): SnsError | undefined {
    const code = this.faults[channel];
    if (!code) return undefined;
    return new SnsError(code, `Local fault injected on the ${channel} channel`, FAULT_STATUS[code] ?? 400, (FAULT_STATUS[code] ?? 400) >= 500 ? 'Receiver' : 'Sender');
  }

  /** Resolves when every background delivery (Lambda invocations and their retries) has ended. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  private timestamp(): string {
    return new Date(this.now()).toISOString();
  }

  private messageFor(n: Published, key: string): string {
    return n.structured ? (n.structured[key] ?? n.structured.default!) : n.message;
  }

  confirmationRequest(s: Subscription): void {
    const messageId = randomUUID();
    const timestamp = this.timestamp();
    const body = confirmationEnvelope(this.env(), s.topicArn, s.token!, messageId, timestamp);
    this.store.record({
      t: 'email',
      v: { Endpoint: s.endpoint, Protocol: s.protocol, TopicArn: s.topicArn, SubscriptionArn: s.arn, MessageId: messageId, Subject: 'AWS Notification - Subscription Confirmation', Message: body, Timestamp: timestamp },
    });
  }

  /** Delivers a topic's message to every subscription whose filter policy lets it through. */
  async toTopic(topic: Topic, n: Published): Promise<void> {
    const sends: Array<Promise<unknown>> = [];
    for (const s of this.store.subscriptionsOf(topic.arn)) {
      if (!s.confirmed) continue;
      const message = this.messageFor(n, s.protocol);
      const policy = s.attributes.FilterPolicy ? parseFilterPolicy(s.attributes.FilterPolicy, s.attributes.FilterPolicyScope ?? 'MessageAttributes') : undefined;
      if (!matchesFilterPolicy(policy, s.attributes.FilterPolicyScope, message, n.attributes)) continue;
      const one: Notification = { ...n, message };
      switch (s.protocol) {
        case 'sqs':
          sends.push(this.toQueue(s, one, n));
          break;
        case 'lambda':
          this.background(this.toLambda(s, one));
          break;
        case 'sms':
          this.toSms(s.endpoint, { ...n, message }, topic.arn, s.arn);
          break;
        case 'application': {
          const ep = this.store.endpoints.get(s.endpoint);
          if (ep) this.toEndpoint(ep, n, topic.arn);
          break;
        }
        case 'email':
        case 'email-json':
          this.toEmail(s, one);
          break;
      }
    }
    await Promise.all(sends);
  }

  private background(p: Promise<unknown>): void {
    const tracked = p.catch((err: Error) => this.log(`sns: delivery failed: ${err.message}`)).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  private async toDeadLetter(s: Subscription, body: string, n: Notification, reason: string): Promise<void> {
    const dlq = s.attributes.RedrivePolicy ? (JSON.parse(s.attributes.RedrivePolicy) as { deadLetterTargetArn: string }).deadLetterTargetArn : undefined;
    if (!dlq || !this.targets.sqsSend) {
      this.log(`sns: could not deliver ${n.messageId} to ${s.arn}: ${reason}`);
      return;
    }
    try {
      await this.targets.sqsSend(dlq, body, { attributes: n.attributes });
    } catch (err) {
      this.log(`sns: could not deliver ${n.messageId} to ${s.arn} (${reason}) nor to its dead-letter queue: ${(err as Error).message}`);
    }
  }

  private async toQueue(s: Subscription, n: Notification, p: Published): Promise<void> {
    const raw = s.attributes.RawMessageDelivery === 'true';
    const body = raw ? n.message : envelope(this.env(), n, s.arn);
    if (!this.targets.sqsSend) {
      this.log(`sns: no SQS to deliver ${n.messageId} to ${s.endpoint}`);
      return;
    }
    const opts: SqsSendOptions = {};
    if (raw && n.attributes) opts.attributes = n.attributes;
    if (p.groupId) opts.groupId = p.groupId;
    if (p.deduplicationId) opts.deduplicationId = p.deduplicationId;
    try {
      await this.targets.sqsSend(s.endpoint, body, opts);
    } catch (err) {
      await this.toDeadLetter(s, body, n, (err as Error).message);
    }
  }

  private async toLambda(s: Subscription, n: Notification): Promise<void> {
    const invoke = this.targets.invokeLambda;
    if (!invoke) {
      this.log(`sns: no Lambda runtime to deliver ${n.messageId} to ${s.endpoint}`);
      return;
    }
    const event = lambdaEvent(this.env(), n, s.arn);
    let last: Error | undefined;
    for (const delay of [0, 1000, 2000]) {
      if (delay) await new Promise((r) => setTimeout(r, delay));
      try {
        await invoke(s.endpoint, event);
        return;
      } catch (err) {
        last = err as Error;
      }
    }
    await this.toDeadLetter(s, JSON.stringify(event), n, last?.message ?? 'invocation failed');
  }

  /** An SMS, to a phone number directly or through an sms subscription. */
  toSms(phone: string, n: Published, topicArn?: string, subscriptionArn?: string): void {
    if (this.faults.sms) {
      this.log(`sns: SMS to ${phone} dropped: local fault ${this.faults.sms}`);
      return;
    }
    if (this.store.optedOut.has(phone)) {
      this.log(`sns: SMS to ${phone} not sent: the number opted out`);
      return;
    }
    const v: Record<string, unknown> = { PhoneNumber: phone, MessageId: n.messageId, Message: this.messageFor(n, 'sms') };
    if (topicArn) v.TopicArn = topicArn;
    if (subscriptionArn) v.SubscriptionArn = subscriptionArn;
    if (n.attributes) v.MessageAttributes = n.attributes;
    if (n.structured) v.MessageStructure = 'json';
    if (n.subject !== undefined) v.Subject = n.subject;
    this.store.record({ t: 'sms', v });
  }

  /** A push to a platform endpoint, directly (TargetArn) or through an application subscription. */
  toEndpoint(ep: PlatformEndpoint, n: Published, topicArn?: string): void {
    if (this.faults.application || ep.attributes.Enabled === 'false') {
      this.log(`sns: push to ${ep.arn} dropped: ${this.faults.application ? `local fault ${this.faults.application}` : 'endpoint disabled'}`);
      return;
    }
    const v: Record<string, unknown> = { TargetArn: ep.arn };
    if (topicArn) v.TopicArn = topicArn;
    v.Message = n.structured ? JSON.stringify(n.structured) : n.message;
    if (n.attributes) v.MessageAttributes = n.attributes;
    if (n.structured) v.MessageStructure = 'json';
    if (n.subject !== undefined) v.Subject = n.subject;
    v.MessageId = n.messageId;
    this.store.record({ t: 'push', v });
  }

  private toEmail(s: Subscription, n: Notification): void {
    if (this.faults.email) {
      this.log(`sns: email to ${s.endpoint} dropped: local fault ${this.faults.email}`);
      return;
    }
    const message = s.protocol === 'email-json' ? envelope(this.env(), n, s.arn) : n.message;
    const v: Record<string, unknown> = { Endpoint: s.endpoint, Protocol: s.protocol, TopicArn: s.topicArn, SubscriptionArn: s.arn, MessageId: n.messageId };
    v.Subject = n.subject ?? 'AWS Notification Message';
    v.Message = message;
    v.Timestamp = n.timestamp;
    this.store.record({ t: 'email', v });
  }
}
