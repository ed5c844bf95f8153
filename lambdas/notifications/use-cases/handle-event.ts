/**
 * An order or payment event, handled once:
 * 1. read it (domain/events.ts); remember whose order it is (for payment events without a user);
 * 2. find the customer's preferences and render the message for each opted-in channel;
 * 3. claim the event: its dedup marker and a pending record per channel in one transaction;
 * 4. send each channel at once, each with its own retries, and end each record sent or failed.
 *
 * A redelivered event finds its marker at step 3 and sends nothing, except a record an earlier
 * delivery claimed and never ended (it crashed mid-send): once that claim's lease has run out,
 * the record is taken over and its message (as rendered then) is sent. While the lease runs,
 * the batch is failed (SendInProgressError) so that the event source mapping retries it later.
 */
import type { EventEnvelope } from '../../shared/events/envelope';
import type { Channel } from '../domain/channels';
import { SendInProgressError } from '../domain/errors';
import { interpret, type NotifyIntent } from '../domain/events';
import { usableLocale } from '../domain/format';
import { eventNotificationId, type NotificationRecord } from '../domain/notification';
import type { NotificationStore, OrderDirectory, PreferencesStore } from '../domain/ports';
import { CHANNEL_ORDER, recipientOn, type Preferences } from '../domain/preferences';
import { orderCancelled, orderConfirmed, paymentRefunded, type RenderContext, type RenderedMessage } from '../domain/templates';
import { deliver, type DeliveryDeps } from './deliver';

export interface EventDeps extends DeliveryDeps {
  store: NotificationStore;
  preferences: PreferencesStore;
  orders: OrderDirectory;
  /** how long a claim owns its pending records (longer than the consumer function's timeout) */
  leaseSeconds: number;
  /** how long an event's marker is kept (redeliveries within it send nothing) */
  dedupSeconds: number;
}

export type EventOutcome =
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'no_recipient'; reason: string }
  | { outcome: 'duplicate'; resumed: NotificationRecord[] }
  | { outcome: 'handled'; records: NotificationRecord[] };

function render(intent: NotifyIntent, channel: Channel, ctx: RenderContext): RenderedMessage {
  switch (intent.template) {
    case 'order_confirmed':
      return orderConfirmed.render(intent.data, channel, ctx);
    case 'order_cancelled':
      return orderCancelled.render(intent.data, channel, ctx);
    case 'payment_refunded':
      return paymentRefunded.render(intent.data, channel, ctx);
  }
}

const plusSeconds = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

/** The pending records of an event for this customer: one per opted-in, reachable channel. */
function recordsFor(event: EventEnvelope, intent: NotifyIntent & { order_id: string }, prefs: Preferences, now: string, leaseUntil: string): NotificationRecord[] {
  const ctx: RenderContext = { locale: usableLocale(prefs.locale), name: prefs.name };
  return CHANNEL_ORDER.flatMap((channel) => {
    const recipient = recipientOn(prefs, channel);
    if (!recipient) return [];
    const message = render(intent, channel, ctx);
    const record: NotificationRecord = {
      notification_id: eventNotificationId(event.id, channel),
      channel,
      type: intent.template,
      recipient,
      user_id: prefs.user_id,
      order_id: intent.order_id,
      event_id: event.id,
      event_type: event.type,
      source: 'event',
      status: 'pending',
      subject: message.subject,
      body: message.text,
      html: message.html,
      attempts: 0,
      created_at: now,
      updated_at: now,
      lease_until: leaseUntil,
    };
    return [record];
  });
}

export async function handleEvent(deps: EventDeps, event: EventEnvelope): Promise<EventOutcome> {
  const meaning = interpret(event);
  if (meaning.contact) await deps.orders.remember(meaning.contact, deps.clock());
  const intent = meaning.notify;
  if (!intent) return { outcome: 'ignored', reason: meaning.ignored ?? 'nothing to send' };

  const userId = intent.user_id ?? (await deps.orders.find(intent.order_id))?.user_id;
  if (!userId) return { outcome: 'no_recipient', reason: `no user is known for order ${intent.order_id}` };
  const prefs = await deps.preferences.get(userId);
  if (!prefs) return { outcome: 'no_recipient', reason: `user ${userId} has no contact preferences` };

  const now = deps.clock();
  const records = recordsFor(event, intent, prefs, now, plusSeconds(now, deps.leaseSeconds));
  if (!records.length) return { outcome: 'no_recipient', reason: `user ${userId} has opted into no reachable channel` };

  const claim = await deps.store.claimEvent(event.id, records, Math.floor(Date.parse(now) / 1000) + deps.dedupSeconds);
  if (!claim.claimed) return { outcome: 'duplicate', resumed: await resume(deps, claim.notificationIds) };
  return { outcome: 'handled', records: await Promise.all(records.map((r) => deliver(deps, r))) };
}

/** A redelivery: sends what an earlier claim left pending past its lease; fails the batch while a lease runs. */
async function resume(deps: EventDeps, ids: string[]): Promise<NotificationRecord[]> {
  const now = deps.clock();
  const leaseUntil = plusSeconds(now, deps.leaseSeconds);
  const pending = (await Promise.all(ids.map((id) => deps.store.get(id)))).filter((r): r is NotificationRecord => r?.status === 'pending');
  const busy: string[] = [];
  const resumed: NotificationRecord[] = [];
  await Promise.all(
    pending.map(async (r) => {
      const taken = await deps.store.retake(r.notification_id, now, leaseUntil);
      if (!taken) {
        // still leased (or ended in between): ended needs nothing; leased must be looked at again later
        const current = await deps.store.get(r.notification_id);
        if (current?.status === 'pending') busy.push(r.notification_id);
        return;
      }
      resumed.push(await deliver(deps, taken));
    }),
  );
  if (busy.length) throw new SendInProgressError(busy.sort());
  return resumed;
}
