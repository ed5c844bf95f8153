/**
 * A customer's contact preferences: where each channel reaches them and which channels they
 * opted into. A channel can only be opted into with its contact: an opted-in SMS without a phone
 * number is refused when saved, not discovered when an order is confirmed.
 */
import type { ErrorDetail } from '../../shared/errors';
import type { Channel } from './channels';

export interface Preferences {
  user_id: string;
  email?: string;
  /** E.164 */
  phone?: string;
  /** the device token the app registered */
  push_token?: string;
  /** the SNS platform endpoint of that token */
  push_endpoint_arn?: string;
  /** opted-in channels, in a stable order */
  channels: Channel[];
  /** BCP 47 locale for money and wording (default en-US) */
  locale?: string;
  /** the name a greeting uses */
  name?: string;
  created_at: string;
  updated_at: string;
}

/** What a PUT carries (the push endpoint is derived from the token). */
export type PreferencesInput = Omit<Preferences, 'user_id' | 'push_endpoint_arn' | 'created_at' | 'updated_at'>;

const CONTACT_FIELD: Record<Channel, 'email' | 'phone' | 'push_token'> = { email: 'email', sms: 'phone', push: 'push_token' };

/** The problems of a preferences input: each opted-in channel needs its contact. */
export function preferenceProblems(input: PreferencesInput): ErrorDetail[] {
  return input.channels.flatMap((channel, i) =>
    input[CONTACT_FIELD[channel]] ? [] : [{ field: `channels.${i}`, message: `channel ${channel} needs ${CONTACT_FIELD[channel]}` }],
  );
}

/** Where `channel` reaches this customer, if they opted into it and it is reachable. */
export function recipientOn(prefs: Preferences, channel: Channel): string | undefined {
  if (!prefs.channels.includes(channel)) return undefined;
  if (channel === 'email') return prefs.email;
  if (channel === 'sms') return prefs.phone;
  return prefs.push_endpoint_arn;
}

/** The address of `channel` whether opted in or not (an operator's direct send to a user). */
export function contactOn(prefs: Preferences, channel: Channel): string | undefined {
  return channel === 'email' ? prefs.email : channel === 'sms' ? prefs.phone : prefs.push_endpoint_arn;
}

export const CHANNEL_ORDER: Channel[] = ['email', 'sms', 'push'];

export function normalizeChannels(channels: Channel[]): Channel[] {
  return CHANNEL_ORDER.filter((c) => channels.includes(c));
}
