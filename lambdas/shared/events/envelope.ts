/**
 * The event envelope every domain event travels in, and the topics of the design. Events are
 * keyed by their subject (the aggregate id) so that one aggregate's events stay in order.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { currentTraceHeader } from '../env';

/** Topics and their partition counts (the design's contract; CDK and the local broker read this). */
export const TOPICS = {
  'order-events': 5,
  'payment-events': 3,
  'inventory-events': 3,
  'catalog-events': 3,
  'notification-events': 2,
} as const;

export type Topic = keyof typeof TOPICS;

export interface EventEnvelope<T = unknown> {
  /** unique: consumers deduplicate by it */
  id: string;
  /** e.g. "inventory.stock.restocked" */
  type: string;
  /** schema version of `data` */
  version: number;
  /** the producing service, e.g. "inventory" */
  source: string;
  /** ISO-8601 UTC */
  time: string;
  /** the aggregate id, also the Kafka key */
  subject: string;
  /** the X-Ray trace header at the time of the change, when there was one */
  trace?: string;
  data: T;
}

export const envelopeSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  version: z.number().int().min(1),
  source: z.string().min(1),
  time: z.string().min(1),
  subject: z.string().min(1),
  trace: z.string().optional(),
  data: z.unknown(),
});

const TOPIC_BY_SOURCE: Record<string, Topic> = {
  orders: 'order-events',
  payments: 'payment-events',
  inventory: 'inventory-events',
  catalog: 'catalog-events',
  notifications: 'notification-events',
};

export function topicFor(event: Pick<EventEnvelope, 'source'>): Topic {
  const topic = TOPIC_BY_SOURCE[event.source];
  if (!topic) throw new Error(`no topic for events of ${event.source}`);
  return topic;
}

export function newEvent<T>(
  source: string,
  type: string,
  subject: string,
  data: T,
  options: { id?: string; version?: number; time?: string; trace?: string } = {},
): EventEnvelope<T> {
  return {
    id: options.id ?? randomUUID(),
    type,
    version: options.version ?? 1,
    source,
    time: options.time ?? new Date().toISOString(),
    subject,
    trace: options.trace ?? currentTraceHeader(),
    data,
  };
}
