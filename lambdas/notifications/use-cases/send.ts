/**
 * An operator's direct send: one message on one channel, recorded in the history like the
 * consumer's, with the same retries.
 * 1. find the recipient: `to` as given, or the user's contact on that channel;
 * 2. render: a template with its data (the template's schema checks them), or the given text;
 * 3. record it pending; with an Idempotency-Key the record's id is derived from the key, so a
 *    repeated request finds the first record and sends nothing;
 * 4. send with retries; a failure after them is a 502 naming the recorded notification.
 */
import type { ZodError } from 'zod';
import { ValidationError } from '../../shared/errors';
import type { Channel } from '../domain/channels';
import { DeliveryFailedError, NoRecipientError } from '../domain/errors';
import { usableLocale } from '../domain/format';
import { CUSTOM_TYPE, newNotificationId, requestNotificationId, type NotificationRecord } from '../domain/notification';
import type { PreferencesStore } from '../domain/ports';
import { contactOn, type Preferences } from '../domain/preferences';
import { renderTemplate, type RenderedMessage } from '../domain/templates';
import { SHOP_NAME } from '../domain/templates/layout';
import type { SendBody } from '../schemas';
import { deliver, type DeliveryDeps } from './deliver';

export interface SendDeps extends DeliveryDeps {
  preferences: PreferencesStore;
}

async function recipient(deps: SendDeps, req: SendBody): Promise<{ to: string; prefs?: Preferences }> {
  const prefs = req.user_id ? await deps.preferences.get(req.user_id) : undefined;
  if (req.to) return { to: req.to, prefs };
  if (!prefs) throw new NoRecipientError('unknown user', [{ field: 'user_id', message: `no preferences for user ${req.user_id}` }]);
  const to = contactOn(prefs, req.channel);
  if (!to) throw new NoRecipientError(`the user has no ${req.channel} contact`, [{ field: 'user_id', message: `user ${req.user_id} has no contact on ${req.channel}` }]);
  return { to, prefs };
}

function message(req: SendBody, channel: Channel, prefs: Preferences | undefined): RenderedMessage {
  if (req.template === undefined) return { subject: req.subject ?? (channel === 'push' ? SHOP_NAME : undefined), text: req.body!, html: req.html };
  try {
    return renderTemplate(req.template, req.data ?? {}, channel, { locale: usableLocale(prefs?.locale), name: prefs?.name });
  } catch (err) {
    if ((err as ZodError).issues) {
      throw new ValidationError('template data is invalid', (err as ZodError).issues.map((i) => ({ field: ['data', ...i.path].join('.'), message: i.message })));
    }
    throw err;
  }
}

export async function sendDirect(deps: SendDeps, req: SendBody, idempotencyKey?: string): Promise<{ record: NotificationRecord; replayed: boolean }> {
  const { to, prefs } = await recipient(deps, req);
  const rendered = message(req, req.channel, prefs);
  const now = deps.clock();
  const record: NotificationRecord = {
    notification_id: idempotencyKey ? requestNotificationId(idempotencyKey) : newNotificationId(),
    channel: req.channel,
    type: req.template ?? CUSTOM_TYPE,
    recipient: to,
    ...(req.user_id ? { user_id: req.user_id } : {}),
    ...(req.order_id ? { order_id: req.order_id } : {}),
    source: 'api',
    status: 'pending',
    subject: rendered.subject,
    body: rendered.text,
    html: rendered.html,
    attempts: 0,
    created_at: now,
    updated_at: now,
  };
  if (!(await deps.store.create(record))) {
    // the first answer again: the record as it is now (a failure is the same 502)
    const first = (await deps.store.get(record.notification_id)) ?? record;
    return { record: failedOrSent(first), replayed: true };
  }
  return { record: failedOrSent(await deliver(deps, record)), replayed: false };
}

function failedOrSent(record: NotificationRecord): NotificationRecord {
  if (record.status === 'failed') throw new DeliveryFailedError(record.notification_id, record.channel, record.error ?? { code: 'unknown', message: 'unknown' });
  return record;
}
