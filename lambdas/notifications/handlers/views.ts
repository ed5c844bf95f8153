/** How the API shows its records: the stored fields a client reads, never the internal ones (a claim's lease). */
import type { NotificationRecord } from '../domain/notification';
import type { Preferences } from '../domain/preferences';

export function notificationView(r: NotificationRecord): Omit<NotificationRecord, 'lease_until'> {
  const { lease_until: _lease, ...shown } = r;
  return shown;
}

export function preferencesView(p: Preferences): Preferences {
  return p;
}
