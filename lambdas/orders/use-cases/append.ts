/**
 * The one way an event enters an order's log: read the log, fold it, decide, append under the
 * version read; if another writer appended meanwhile, read again and decide again (the decision
 * may now be "already there" or "not allowed"). Bounded: contention that outlasts the attempts
 * is a TransientError, which the saga retries and the API answers as 503.
 */
import { ConcurrentAppendError, TransientError } from '../domain/errors';
import type { NewOrderEvent } from '../domain/events';
import { integrationEvent } from '../domain/integration-events';
import { decide, fold, type Decision, type Order } from '../domain/order';
import type { OrderEventStore } from '../domain/ports';

export const MAX_APPEND_ATTEMPTS = 30;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Full jitter, capped at 50 ms: writers of one order are few, and each lost race costs one read. */
const backoff = (attempt: number) => pause(Math.random() * Math.min(50, 2 * 2 ** attempt));

/**
 * Appends the event `eventFor` builds from the order's current state (it may throw to refuse),
 * unless the log already holds an event with its key. Resolves the order after it.
 */
export async function appendEvent(
  store: OrderEventStore,
  orderId: string,
  eventFor: (current: Order | undefined) => NewOrderEvent,
): Promise<Decision> {
  for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
    const current = fold(orderId, await store.load(orderId));
    const event = eventFor(current);
    const decision = decide(current, event, orderId);
    if (!decision.appended) return decision;
    const outbox = integrationEvent(decision.order, event);
    try {
      await store.append(orderId, current?.version ?? 0, [event], decision.order, outbox ? [outbox] : []);
      return decision;
    } catch (err) {
      if (!(err instanceof ConcurrentAppendError)) throw err;
      await backoff(attempt);
    }
  }
  throw new TransientError(`too many concurrent changes to order ${orderId}; retry`);
}
