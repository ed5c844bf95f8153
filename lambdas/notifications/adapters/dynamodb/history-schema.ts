/**
 * The notification history table's keys and indexes, shared by the store and the CDK table
 * definition (lib/stateful-stack.ts), so the two cannot disagree.
 *
 * Items are keyed by `notification_id`. The history endpoint's filters are order, user, status and
 * channel; the first three have an index whose sort key, `sort_key` = `<created_at>#<notification_id>`,
 * orders it newest first (read backwards) with ties broken by id. The most selective filter given
 * picks the index (order, then user, then status) and the others filter its pages. The channel
 * has no index of its own: it has three values, so it narrows a customer's, an order's or a
 * status's history rather than being a question alone, and each index is one more write per
 * notification.
 */
export const HISTORY_KEY = 'notification_id';
export const HISTORY_SORT = 'sort_key';
/** TTL attribute: history is kept a year */
export const HISTORY_TTL = 'expires_at';
export const HISTORY_RETENTION_SECONDS = 365 * 24 * 3600;

export const HISTORY_INDEXES = [
  { name: 'by_order', partition: 'order_id' },
  { name: 'by_user', partition: 'user_id' },
  { name: 'by_status', partition: 'status' },
] as const;

/** Every filter of the history, the indexed ones first. */
export const HISTORY_FILTERS = ['order_id', 'user_id', 'status', 'channel'] as const;

export type HistoryIndex = (typeof HISTORY_INDEXES)[number];

/** The key of each event's dedup marker in the processed-events table (beside Powertools' records, under its own prefix). */
export const markerId = (eventId: string) => `notifications-send#${eventId}`;
