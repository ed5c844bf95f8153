/**
 * Sends one claimed notification on its channel: tries, retries a transient failure with
 * backoff, and ends the record as sent or failed. Never throws for the channel's sake (a channel
 * that fails is a failed record, not a failed batch); only the store's own failure propagates.
 */
import type { Clock } from '../../shared/clock';
import { clip } from '../domain/format';
import { ChannelError } from '../domain/errors';
import type { NotificationRecord } from '../domain/notification';
import type { Completion, NotificationMetrics, NotificationStore, Senders } from '../domain/ports';
import { backoffMs, type RetryPolicy } from '../domain/retry';

export interface DeliveryDeps {
  store: NotificationStore;
  senders: Senders;
  metrics: NotificationMetrics;
  retry: RetryPolicy;
  clock: Clock;
  /** waits between attempts (tests pass one that does not) */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A provider's failure as a ChannelError; anything unexpected counts as transient. */
function asChannelError(err: unknown): ChannelError {
  if (err instanceof ChannelError) return err;
  return new ChannelError((err as Error)?.name || 'Error', (err as Error)?.message ?? String(err), true, { cause: err });
}

export async function deliver(deps: DeliveryDeps, record: NotificationRecord): Promise<NotificationRecord> {
  const sleep = deps.sleep ?? realSleep;
  const started = performance.now();
  let attempts = record.attempts;
  let completion: Completion | undefined;
  for (let attempt = 1; !completion; attempt++) {
    attempts++;
    try {
      const { messageId } = await deps.senders[record.channel].send(record);
      completion = { status: 'sent', provider_message_id: messageId, attempts, at: deps.clock() };
    } catch (err) {
      const e = asChannelError(err);
      if (!e.transient || attempt >= deps.retry.maxAttempts) {
        completion = { status: 'failed', error: { code: e.code, message: clip(e.message, 500) }, attempts, at: deps.clock() };
      } else {
        await sleep(backoffMs(deps.retry, attempt, deps.random));
      }
    }
  }
  const ended = await deps.store.complete(record.notification_id, completion);
  deps.metrics.sent(record.channel, completion.status);
  deps.metrics.processed(record.channel, (performance.now() - started) / 1000);
  return ended ?? { ...record, ...endedFields(completion) };
}

function endedFields(c: Completion): Partial<NotificationRecord> {
  return c.status === 'sent'
    ? { status: 'sent', provider_message_id: c.provider_message_id, attempts: c.attempts, sent_at: c.at, updated_at: c.at, lease_until: undefined }
    : { status: 'failed', error: c.error, attempts: c.attempts, failed_at: c.at, updated_at: c.at, lease_until: undefined };
}
