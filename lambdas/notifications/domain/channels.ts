/**
 * The channels a notification goes out on, the recipient format of each, and the size limits of
 * what is sent on them. One table, read by validation (the API's schemas) and by the templates.
 *
 * | channel | recipient                          | content                                   |
 * | ------- | ---------------------------------- | ----------------------------------------- |
 * | email   | an address (SES v2 SendEmail)      | subject, text body, HTML body             |
 * | sms     | an E.164 number (SNS Publish)      | a short text                              |
 * | push    | an SNS platform endpoint ARN       | a title and a body                        |
 */
export const CHANNELS = ['email', 'sms', 'push'] as const;
export type Channel = (typeof CHANNELS)[number];

export const isChannel = (value: unknown): value is Channel => typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);

/** Limits of what one notification may carry, per channel (characters). */
export const LIMITS = {
  /** RFC 5321's limit on a whole address */
  emailAddress: 254,
  /** an email subject (SES allows more; a subject past this is not read) */
  subject: 200,
  /** an email's text or HTML body: far below SES's 10 MB message limit, far above any template */
  emailBody: 100_000,
  /** an SMS of at most ten segments (SNS splits longer texts; carriers drop past that) */
  smsBody: 1_600,
  /** a push title, as the platforms truncate it */
  pushTitle: 100,
  /** a push body: the whole FCM/APNs payload is limited to 4 KB */
  pushBody: 1_000,
} as const;

/** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{1,14}$/;

/** An SNS mobile push endpoint: arn:aws:sns:<region>:<account>:endpoint/<platform>/<application>/<id>. */
export const PUSH_ENDPOINT_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:endpoint\/(ADM|APNS|APNS_SANDBOX|BAIDU|GCM|MPNS|WNS)\/[A-Za-z0-9_.-]+\/[A-Za-z0-9-]+$/;
