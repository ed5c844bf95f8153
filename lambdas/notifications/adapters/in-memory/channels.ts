/**
 * Channels in memory: each keeps what it was given, and fails as scripted (the next n sends
 * fail with a given ChannelError). For the use cases' unit tests; the real providers are tested
 * against the local SES and SNS.
 */
import { ChannelError } from '../../domain/errors';
import type { ChannelSender, OutgoingMessage, PushRegistry, Senders } from '../../domain/ports';

export class InMemoryChannel implements ChannelSender {
  readonly sent: OutgoingMessage[] = [];
  /** every send tried, failed ones included */
  attempts = 0;
  private failures: ChannelError[] = [];

  /** The next `times` sends fail with this error. */
  failNext(times: number, code = 'InternalError', transient = true): void {
    for (let i = 0; i < times; i++) this.failures.push(new ChannelError(code, `scripted ${code}`, transient));
  }

  async send(message: OutgoingMessage): Promise<{ messageId: string }> {
    this.attempts++;
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push(structuredClone(message));
    return { messageId: `msg-${message.channel}-${this.sent.length}` };
  }
}

export function inMemorySenders(): Senders & Record<'email' | 'sms' | 'push', InMemoryChannel> {
  return { email: new InMemoryChannel(), sms: new InMemoryChannel(), push: new InMemoryChannel() };
}

export class InMemoryPushRegistry implements PushRegistry {
  readonly registered: Array<{ token: string; userId: string }> = [];

  async register(token: string, userId: string): Promise<string> {
    this.registered.push({ token, userId });
    return `arn:aws:sns:us-east-1:000000000000:endpoint/GCM/ecommerce-notifications/${this.registered.length.toString().padStart(8, '0')}-0000-0000-0000-000000000000`;
  }
}
