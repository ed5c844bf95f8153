/** Request schemas of the Notifications API (validated in the handlers; reused by the OpenAPI document). */
import { z } from 'zod';
import { CHANNELS, E164, LIMITS, PUSH_ENDPOINT_ARN, type Channel } from './domain/channels';
import { STATUSES } from './domain/notification';

export const userId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:@-]*$/, 'letters, digits, and _ . : @ - only');

export const email = z.email({ message: 'not an email address' }).max(LIMITS.emailAddress);
export const phone = z.string().regex(E164, 'not an E.164 phone number (+ and country code, at most 15 digits)');
export const pushEndpointArn = z.string().regex(PUSH_ENDPOINT_ARN, 'not an SNS platform endpoint ARN');
export const channel = z.enum(CHANNELS, { message: `expected one of ${CHANNELS.join(', ')}` });

const locale = z
  .string()
  .min(2)
  .max(35)
  .refine((l) => {
    try {
      return Intl.getCanonicalLocales(l).length === 1 && Intl.NumberFormat.supportedLocalesOf([l]).length === 1;
    } catch {
      return false;
    }
  }, 'not a supported BCP 47 locale');

export const userPath = z.object({ user_id: userId });

/** PUT /api/notifications/preferences/{user_id}: the whole of a user's preferences. */
export const preferencesBody = z.strictObject({
  email: email.optional(),
  phone: phone.optional(),
  /** a device token from the mobile app (FCM registration token, APNs device token) */
  push_token: z.string().min(1).max(4096).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces').optional(),
  channels: z.array(channel).max(CHANNELS.length).refine((c) => new Set(c).size === c.length, 'each channel at most once'),
  locale: locale.optional(),
  name: z.string().min(1).max(100).optional(),
});

/**
 * POST /api/notifications/send: an operator's direct send on one channel, to an address in that
 * channel's format (`to`) or to a user's contact on it (`user_id`), of a template with its data
 * or of the operator's own subject and body.
 */
export const sendBody = z
  .strictObject({
    channel,
    to: z.string().min(1).max(2048).optional(),
    user_id: userId.optional(),
    order_id: z.string().min(1).max(128).optional(),
    template: z.string().min(1).max(64).optional(),
    data: z.record(z.string(), z.unknown()).optional(),
    subject: z.string().min(1).optional(),
    body: z.string().min(1).optional(),
    html: z.string().min(1).optional(),
  })
  .superRefine((b, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (b.to === undefined && b.user_id === undefined) issue('to', 'to or user_id is required');
    if (b.to !== undefined) {
      const format: Record<Channel, z.ZodType> = { email, sms: phone, push: pushEndpointArn };
      const r = format[b.channel].safeParse(b.to);
      if (!r.success) issue('to', `${r.error.issues[0]?.message ?? 'malformed'} (channel ${b.channel})`);
    }
    if (b.template !== undefined) {
      for (const f of ['subject', 'body', 'html'] as const) if (b[f] !== undefined) issue(f, `${f} cannot be given with a template`);
      return;
    }
    if (b.data !== undefined) issue('data', 'data goes with a template');
    if (b.body === undefined) issue('body', 'body is required (or a template)');
    if (b.channel === 'email' && b.subject === undefined) issue('subject', 'an email needs a subject');
    if (b.channel !== 'email' && b.html !== undefined) issue('html', 'html is for email only');
    if (b.channel === 'sms' && b.subject !== undefined) issue('subject', 'an SMS has no subject');
    const max = { email: { subject: LIMITS.subject, body: LIMITS.emailBody }, sms: { subject: Infinity, body: LIMITS.smsBody }, push: { subject: LIMITS.pushTitle, body: LIMITS.pushBody } }[b.channel];
    if (b.subject !== undefined && b.subject.length > max.subject) issue('subject', `at most ${max.subject} characters on ${b.channel}`);
    if (b.body !== undefined && b.body.length > max.body) issue('body', `at most ${max.body} characters on ${b.channel}`);
    if (b.html !== undefined && b.html.length > LIMITS.emailBody) issue('html', `at most ${LIMITS.emailBody} characters`);
  });
export type SendBody = z.output<typeof sendBody>;

export const HISTORY_QUERY_PARAMS = ['user_id', 'order_id', 'channel', 'status', 'limit', 'cursor'] as const;

/** GET /api/notifications/history: by order, user or status (the channel narrows them); newest first. */
export const historyQuery = z
  .object({
    user_id: userId.optional(),
    order_id: z.string().min(1).max(128).optional(),
    channel: channel.optional(),
    status: z.enum(STATUSES, { message: `expected one of ${STATUSES.join(', ')}` }).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(4096).optional(),
  })
  .refine((q) => q.user_id || q.order_id || q.status, { message: 'give at least one of user_id, order_id, status (channel narrows them)', path: ['user_id'] });

/** The largest request body the API reads (an operator's email with its HTML fits; a megabyte does not). */
export const MAX_REQUEST_BYTES = 256 * 1024;
