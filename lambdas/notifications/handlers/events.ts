/**
 * The consumer of `order-events` and `payment-events` (one function, two event source
 * mappings): each event is handled once (dedup by event id in eventConsumer, and the claim of its
 * send records, handle-event.ts) and becomes the customer's messages on their channels.
 */
import { eventConsumer } from '../../shared/events/consumer';
import type { EventEnvelope } from '../../shared/events/envelope';
import { logger } from '../../shared/powertools';
import { consumerDependencies } from '../dependencies';
import { handleEvent } from '../use-cases/handle-event';

const deps = consumerDependencies();

export async function onNotificationEvent(event: EventEnvelope): Promise<void> {
  const ids = { event_id: event.id, type: event.type, subject: event.subject };
  logger.debug('event received', ids);
  const result = await handleEvent(deps, event);
  switch (result.outcome) {
    case 'handled':
      logger.info('notifications sent', { ...ids, notifications: result.records.map((r) => ({ id: r.notification_id, channel: r.channel, status: r.status, attempts: r.attempts })) });
      break;
    case 'duplicate':
      logger.info('event already handled', { ...ids, resumed: result.resumed.map((r) => r.notification_id) });
      break;
    default:
      logger.info('no notification', { ...ids, outcome: result.outcome, reason: result.reason });
  }
}

// kafka_messages_consumed_total{topic} is counted by eventConsumer (lambdas/shared/events/consumer.ts), as for every consumer:
// a count of its own here as well counted each record twice.
export const handler = eventConsumer(onNotificationEvent, { consumerName: 'notifications' });
