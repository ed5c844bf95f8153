/** Builders shared by the Notifications unit tests: events, preferences, and use-case dependencies over the in-memory adapters. */
import { InMemoryPushRegistry, inMemorySenders } from '../../../../lambdas/notifications/adapters/in-memory/channels';
import { InMemoryNotificationStore, InMemoryOrderDirectory, InMemoryPreferencesStore } from '../../../../lambdas/notifications/adapters/in-memory/stores';
import type { Channel } from '../../../../lambdas/notifications/domain/channels';
import type { NotificationMetrics } from '../../../../lambdas/notifications/domain/ports';
import type { Preferences } from '../../../../lambdas/notifications/domain/preferences';
import type { EventEnvelope } from '../../../../lambdas/shared/events/envelope';

export const T0 = '2026-11-25T10:00:00.000Z';

/** A clock that stands still until moved. */
export function manualClock(start = T0) {
  let now = Date.parse(start);
  const clock = () => new Date(now).toISOString();
  clock.advance = (ms: number) => void (now += ms);
  return clock;
}

export function event(type: string, data: unknown, overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  return { id: `ev-${type}-1`, type, version: 1, source: type.split('.')[0] === 'payment' ? 'payments' : 'orders', time: T0, subject: 'ord_1', data, ...overrides };
}

export const confirmedData = {
  order_id: 'ord_1',
  user_id: 'user123',
  total_minor: 59998,
  currency: 'USD',
  items: [{ product_id: 'PROD-001', quantity: 2, unit_price_minor: 29999, name: 'Premium Headphones' }],
};

export const ENDPOINT = 'arn:aws:sns:us-east-1:000000000000:endpoint/GCM/ecommerce-notifications/1b2c3d4e-0000-0000-0000-000000000001';

export function preferences(overrides: Partial<Preferences> = {}): Preferences {
  return {
    user_id: 'user123',
    email: 'user123@example.com',
    phone: '+15555550123',
    push_token: 'token-1',
    push_endpoint_arn: ENDPOINT,
    channels: ['email', 'sms', 'push'],
    locale: 'en-US',
    name: 'Alex',
    created_at: T0,
    updated_at: T0,
    ...overrides,
  };
}

export class RecordingMetrics implements NotificationMetrics {
  readonly sentCounts: Array<{ channel: Channel; status: string }> = [];
  readonly durations: Array<{ channel: Channel; seconds: number }> = [];
  sent(channel: Channel, status: 'sent' | 'failed'): void {
    this.sentCounts.push({ channel, status });
  }
  processed(channel: Channel, seconds: number): void {
    this.durations.push({ channel, seconds });
  }
}

/** The consumer's dependencies in memory, with waits recorded instead of slept. */
export function eventDeps() {
  const clock = manualClock();
  const waits: number[] = [];
  return {
    store: new InMemoryNotificationStore(),
    preferences: new InMemoryPreferencesStore(),
    orders: new InMemoryOrderDirectory(),
    senders: inMemorySenders(),
    push: new InMemoryPushRegistry(),
    metrics: new RecordingMetrics(),
    retry: { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2000 },
    clock,
    waits,
    sleep: async (ms: number) => void waits.push(ms),
    random: () => 0.5,
    leaseSeconds: 90,
    dedupSeconds: 7 * 24 * 3600,
  };
}
