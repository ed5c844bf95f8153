/** The notification history: newest first, by user, order, channel and status, a page at a time. */
import type { HistoryFilter, NotificationStore, Page } from '../domain/ports';
import type { NotificationRecord } from '../domain/notification';

export function listHistory(store: NotificationStore, filter: HistoryFilter, limit: number, after?: Record<string, unknown>): Promise<Page<NotificationRecord>> {
  return store.query(filter, limit, after);
}
