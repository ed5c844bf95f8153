/**
 * The sample customers loaded through the API on a fresh start
 * (PUT /api/notifications/preferences/{user_id}). `user123`, the user of the original README's
 * quick start, has all three channels, so that its first order shows an email, an SMS and a push
 * at the inspection endpoints. Numbers are in ranges reserved for fiction (+1 555 555 01xx, Ofcom's
 * +44 7700 900xxx); addresses are under example domains.
 */
export interface SampleUser {
  user_id: string;
  name?: string;
  email?: string;
  phone?: string;
  push_token?: string;
  channels: Array<'email' | 'sms' | 'push'>;
  locale?: string;
}

export const SAMPLE_USERS: readonly SampleUser[] = [
  {
    user_id: 'user123',
    name: 'Alex',
    email: 'user123@example.com',
    phone: '+15555550123',
    push_token: 'sample-fcm-token-user123',
    channels: ['email', 'sms', 'push'],
    locale: 'en-US',
  },
  { user_id: 'user456', name: 'Sam', email: 'user456@example.com', phone: '+15555550145', channels: ['email'], locale: 'en-US' },
  { user_id: 'user789', name: 'Charlie', phone: '+447700900789', channels: ['sms'], locale: 'en-GB' },
  { user_id: 'kunde42', name: 'Jonas', email: 'kunde42@example.de', push_token: 'sample-fcm-token-kunde42', channels: ['email', 'push'], locale: 'de-DE' },
];
