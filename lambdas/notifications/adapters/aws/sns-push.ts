/**
 * Mobile push on Amazon SNS: device tokens become platform endpoints of the service's platform
 * application (CreatePlatformEndpoint), and a message is a Publish to the endpoint with a payload
 * per platform (MessageStructure=json: FCM's and APNs' notification with title and body).
 */
import { CreatePlatformEndpointCommand, PublishCommand, SetEndpointAttributesCommand, type SNSClient } from '@aws-sdk/client-sns';
import { PushRegistrationError } from '../../domain/errors';
import type { ChannelSender, OutgoingMessage, PushRegistry } from '../../domain/ports';
import { errorCode, isTransient, toChannelError } from './errors';

/** The payload of each platform SNS knows, from one title and body. */
export function pushPayload(m: Pick<OutgoingMessage, 'subject' | 'body' | 'type' | 'notification_id' | 'order_id'>): string {
  const title = m.subject ?? '';
  const data = { type: m.type, notification_id: m.notification_id, ...(m.order_id ? { order_id: m.order_id } : {}) };
  const apns = JSON.stringify({ aps: { alert: { title, body: m.body }, sound: 'default' }, ...data });
  return JSON.stringify({
    default: `${title}: ${m.body}`,
    GCM: JSON.stringify({ notification: { title, body: m.body }, data }),
    APNS: apns,
    APNS_SANDBOX: apns,
  });
}

export class SnsPushSender implements ChannelSender {
  constructor(private readonly client: SNSClient) {}

  async send(m: OutgoingMessage): Promise<{ messageId: string }> {
    try {
      const out = await this.client.send(new PublishCommand({ TargetArn: m.recipient, MessageStructure: 'json', Message: pushPayload(m) }));
      return { messageId: out.MessageId ?? '' };
    } catch (err) {
      throw toChannelError(err);
    }
  }
}

/** "Endpoint <arn> already exists with the same Token, but different attributes." */
const EXISTING_ENDPOINT = /Endpoint (arn:\S+) already exists/;

export class SnsPushRegistry implements PushRegistry {
  constructor(private readonly client: SNSClient, private readonly applicationArn: string) {}

  /**
   * The endpoint of a token, owned by this user. CreatePlatformEndpoint is idempotent for the
   * same token and attributes; a token SNS already has with other attributes (another user on
   * the device, a disabled endpoint) names its endpoint in the refusal, which is then taken over
   * as AWS's guidance says: enabled again, with this user's data.
   */
  async register(token: string, userId: string): Promise<string> {
    try {
      const out = await this.client.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: this.applicationArn, Token: token, CustomUserData: userId }));
      return out.EndpointArn!;
    } catch (err) {
      const existing = EXISTING_ENDPOINT.exec((err as Error).message ?? '')?.[1];
      if (existing) {
        try {
          await this.client.send(new SetEndpointAttributesCommand({ EndpointArn: existing, Attributes: { Token: token, Enabled: 'true', CustomUserData: userId } }));
          return existing;
        } catch (again) {
          throw registrationError(again);
        }
      }
      throw registrationError(err);
    }
  }
}

/** A refusal of the token itself is the client's (422); anything else, the platform application missing included, is ours (503). */
function registrationError(err: unknown): PushRegistrationError {
  const code = errorCode(err);
  const aboutTheToken = code === 'InvalidParameter' && !isTransient(err);
  return new PushRegistrationError(`the push provider did not register the token: ${code}`, { cause: err, transient: !aboutTheToken });
}
