/**
 * The email channel on Amazon SES v2: SendEmail with simple content (the templates render here,
 * so the text and HTML parts are sent as they are recorded), from the service's verified
 * identity, through its configuration set, tagged with the notification's id and type.
 */
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { ChannelSender, OutgoingMessage } from '../../domain/ports';
import { toChannelError } from './errors';

export interface EmailSettings {
  /** the From address (an address of the SES identity) */
  fromAddress: string;
  /** the configuration set every send names (event publishing, reputation metrics) */
  configurationSet?: string;
}

/** SES tag values: letters, digits, _ and - only. */
const tagValue = (v: string) => v.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) || '_';

export class SesEmailSender implements ChannelSender {
  constructor(private readonly client: SESv2Client, private readonly settings: EmailSettings) {}

  async send(m: OutgoingMessage): Promise<{ messageId: string }> {
    try {
      const out = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.settings.fromAddress,
          Destination: { ToAddresses: [m.recipient] },
          Content: {
            Simple: {
              Subject: { Data: m.subject ?? '', Charset: 'UTF-8' },
              Body: { Text: { Data: m.body, Charset: 'UTF-8' }, ...(m.html ? { Html: { Data: m.html, Charset: 'UTF-8' } } : {}) },
            },
          },
          ConfigurationSetName: this.settings.configurationSet,
          EmailTags: [
            { Name: 'notification_id', Value: tagValue(m.notification_id) },
            { Name: 'notification_type', Value: tagValue(m.type) },
          ],
        }),
      );
      return { messageId: out.MessageId ?? '' };
    } catch (err) {
      throw toChannelError(err);
    }
  }
}
