/** The SMS channel on Amazon SNS: Publish to the phone number, as a transactional message. */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { ChannelSender, OutgoingMessage } from '../../domain/ports';
import { toChannelError } from './errors';

export class SnsSmsSender implements ChannelSender {
  constructor(private readonly client: SNSClient, private readonly senderId?: string) {}

  async send(m: OutgoingMessage): Promise<{ messageId: string }> {
    try {
      const out = await this.client.send(
        new PublishCommand({
          PhoneNumber: m.recipient,
          Message: m.body,
          MessageAttributes: {
            // order and payment messages are transactional: SNS routes them for reliability, not cost
            'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
            ...(this.senderId ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: this.senderId } } : {}),
          },
        }),
      );
      return { messageId: out.MessageId ?? '' };
    } catch (err) {
      throw toChannelError(err);
    }
  }
}
