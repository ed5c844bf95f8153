/**
 * What a subscriber receives: the SNS JSON envelope (SQS without raw delivery, email-json), the
 * event a Lambda function gets, and the text of an email. Signature, SigningCertURL are
 * placeholders of the right shape: nothing is signed locally. UnsubscribeURL points at the edge,
 * where a GET of it does unsubscribe.
 */
import { createHash } from 'node:crypto';
import type { SnsMessageAttribute } from './model';

export interface Notification {
  messageId: string;
  topicArn: string;
  subject?: string;
  message: string;
  timestamp: string;
  attributes?: Record<string, SnsMessageAttribute>;
  sequenceNumber?: string;
}

export interface EnvelopeContext {
  region: string;
  edgeUrl: string;
}

function envelopeAttributes(attrs: Record<string, SnsMessageAttribute> | undefined): Record<string, { Type: string; Value: string }> | undefined {
  if (!attrs || Object.keys(attrs).length === 0) return undefined;
  const out: Record<string, { Type: string; Value: string }> = {};
  for (const [k, a] of Object.entries(attrs)) out[k] = { Type: a.DataType, Value: (a.DataType.startsWith('Binary') ? a.BinaryValue : a.StringValue) ?? '' };
  return out;
}

function signature(n: Notification): string {
  // a placeholder of the right length (a base64 RSA-2048 signature is 344 characters)
  const h = createHash('sha512').update(`${n.messageId}\n${n.message}\n${n.timestamp}`).digest();
  return Buffer.concat([h, h, h, h]).toString('base64').slice(0, 344);
}

export function signingCertUrl(region: string): string {
  return `https://sns.${region}.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem`;
}

export function unsubscribeUrl(c: EnvelopeContext, subscriptionArn: string): string {
  return `${c.edgeUrl.replace(/\/+$/, '')}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`;
}

/** AWS prints its envelopes with `"key" : value` and two-space indents. */
function awsJson(doc: unknown): string {
  return JSON.stringify(doc, null, 2).replace(/^(\s*"(?:[^"\\]|\\.)*"):/gm, '$1 :');
}

/** The JSON envelope delivered to SQS (without RawMessageDelivery) and to email-json. */
export function envelope(c: EnvelopeContext, n: Notification, subscriptionArn: string): string {
  const doc: Record<string, unknown> = { Type: 'Notification', MessageId: n.messageId };
  if (n.sequenceNumber) doc.SequenceNumber = n.sequenceNumber;
  doc.TopicArn = n.topicArn;
  if (n.subject !== undefined) doc.Subject = n.subject;
  doc.Message = n.message;
  doc.Timestamp = n.timestamp;
  if (!n.sequenceNumber) {
    doc.SignatureVersion = '1';
    doc.Signature = signature(n);
    doc.SigningCertURL = signingCertUrl(c.region);
  }
  doc.UnsubscribeURL = unsubscribeUrl(c, subscriptionArn);
  const attrs = envelopeAttributes(n.attributes);
  if (attrs) doc.MessageAttributes = attrs;
  return awsJson(doc);
}

/** The confirmation request sent to a new email-json (or email) subscription. */
export function confirmationEnvelope(c: EnvelopeContext, topicArn: string, token: string, messageId: string, timestamp: string): string {
  const subscribeUrl = `${c.edgeUrl.replace(/\/+$/, '')}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topicArn)}&Token=${token}`;
  return awsJson({
    Type: 'SubscriptionConfirmation',
    MessageId: messageId,
    Token: token,
    TopicArn: topicArn,
    Message: `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
    SubscribeURL: subscribeUrl,
    Timestamp: timestamp,
    SignatureVersion: '1',
    Signature: signature({ messageId, topicArn, message: token, timestamp }),
    SigningCertURL: signingCertUrl(c.region),
  });
}

/** The event an SNS-triggered Lambda function receives. */
export function lambdaEvent(c: EnvelopeContext, n: Notification, subscriptionArn: string): Record<string, unknown> {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: 'Notification',
          MessageId: n.messageId,
          TopicArn: n.topicArn,
          Subject: n.subject ?? null,
          Message: n.message,
          Timestamp: n.timestamp,
          SignatureVersion: '1',
          Signature: signature(n),
          SigningCertUrl: signingCertUrl(c.region),
          UnsubscribeUrl: unsubscribeUrl(c, subscriptionArn),
          MessageAttributes: envelopeAttributes(n.attributes) ?? {},
        },
      },
    ],
  };
}
