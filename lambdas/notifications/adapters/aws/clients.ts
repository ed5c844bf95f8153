/**
 * The SES v2 and SNS clients of the channels. One attempt per call (the SDK's own retries off):
 * retries are the use case's, with its backoff and its count recorded on the notification; and
 * short timeouts, so that a provider that hangs costs one attempt, not the function's timeout.
 */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';

export interface ClientOptions {
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

const handler = (o: ClientOptions) => ({ connectionTimeout: o.connectionTimeoutMs ?? 1_000, requestTimeout: o.requestTimeoutMs ?? 3_000 });

export const sesClient = (o: ClientOptions = {}) => new SESv2Client({ maxAttempts: 1, requestHandler: handler(o) });
export const snsClient = (o: ClientOptions = {}) => new SNSClient({ maxAttempts: 1, requestHandler: handler(o) });
