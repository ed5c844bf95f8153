/**
 * The event store in memory, with the DynamoDB adapter's semantics (an append lands whole or not
 * at all, only on the version it was decided on; the read model and outbox come with it). The
 * reference behaviour for the use cases' unit tests.
 */
import type { EventEnvelope } from '../../../shared/events/envelope';
import { ConcurrentAppendError } from '../../domain/errors';
import type { NewOrderEvent, OrderEvent } from '../../domain/events';
import { isEnded, orderView, type Order, type OrderView } from '../../domain/order';
import type { OpenOrder, OrderEventStore, Page } from '../../domain/ports';

export class InMemoryOrderEventStore implements OrderEventStore {
  readonly logs = new Map<string, OrderEvent[]>();
  readonly orders = new Map<string, OrderView>();
  readonly parked = new Map<string, { version: number; why: string; at: string }>();
  /** the outbox, in write order */
  readonly outbox: EventEnvelope[] = [];
  /** called before each append lands: tests make a writer lose its race here */
  beforeAppend?: (orderId: string, expectedVersion: number) => Promise<void> | void;

  async load(orderId: string): Promise<OrderEvent[]> {
    return structuredClone(this.logs.get(orderId) ?? []);
  }

  async append(orderId: string, expectedVersion: number, events: NewOrderEvent[], state: Order, outbox: EventEnvelope[]): Promise<void> {
    await this.beforeAppend?.(orderId, expectedVersion);
    const log = this.logs.get(orderId) ?? [];
    if (log.length !== expectedVersion) throw new ConcurrentAppendError(orderId, expectedVersion);
    this.logs.set(orderId, [...log, ...events.map((e, i) => ({ ...structuredClone(e), seq: expectedVersion + i + 1 }) as OrderEvent)]);
    this.orders.set(orderId, orderView(state));
    this.parked.delete(orderId);
    this.outbox.push(...outbox);
  }

  async getOrder(orderId: string): Promise<OrderView | undefined> {
    const o = this.orders.get(orderId);
    return o && structuredClone(o);
  }

  async listByUser(userId: string, limit: number, after?: Record<string, unknown>): Promise<Page<OrderView>> {
    const all = [...this.orders.values()]
      .filter((o) => o.user_id === userId)
      .sort((a, b) => b.placed_at.localeCompare(a.placed_at) || b.order_id.localeCompare(a.order_id));
    const start = after ? all.findIndex((o) => o.order_id === after.order_id) + 1 : 0;
    const items = all.slice(start, start + limit);
    const last = items.at(-1);
    return { items, next: start + limit < all.length && last ? { order_id: last.order_id, user_id: userId, placed_at: last.placed_at } : undefined };
  }

  private open(): OrderView[] {
    return [...this.orders.values()].filter((o) => !isEnded(o.status) && !this.parked.has(o.order_id));
  }

  async openOrders(placedBefore: string, limit: number): Promise<Page<OpenOrder>> {
    const items = this.open()
      .filter((o) => o.placed_at < placedBefore)
      .sort((a, b) => a.placed_at.localeCompare(b.placed_at))
      .slice(0, limit)
      .map((o) => ({ orderId: o.order_id, status: o.status, placedAt: o.placed_at, updatedAt: o.updated_at }));
    return { items };
  }

  async park(orderId: string, version: number, why: string, at: string): Promise<boolean> {
    if (this.orders.get(orderId)?.version !== version) return false;
    this.parked.set(orderId, { version, why, at });
    return true;
  }

  async countOpen(): Promise<number> {
    return this.open().length;
  }

  async ping(): Promise<void> {}
}
