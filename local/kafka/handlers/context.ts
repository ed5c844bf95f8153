/**
 * What a request handler can reach: the broker's configuration and state, and the request's
 * connection details. Handlers are `(request, ctx) => response` functions over the
 * version-independent request/response types of protocol/<api>/types.ts.
 */
import type { GroupCoordinator } from '../group/coordinator';
import type { RequestHeader } from '../protocol/header';
import type { TopicStore } from '../storage/topic-store';

export interface BrokerConfig {
  nodeId: number;
  host: string;
  port: number;
  clusterId: string;
  autoCreateTopics: boolean;
  defaultPartitions: number;
  maxMessageBytes: number;
  maxUncompressedBatchBytes: number;
}

export interface BrokerState {
  config: BrokerConfig;
  topics: TopicStore;
  coordinator: GroupCoordinator;
  allocateProducerId(): Promise<number>;
  /** True once close() started; long polls return at once. */
  closing: boolean;
  /** Fetches waiting for data now (long polls). */
  parkedFetches: number;
  /** Callbacks run when the broker starts closing (wakes parked fetches). */
  onClose(fn: () => void): () => void;
  log(m: string): void;
}

export interface RequestContext {
  header: RequestHeader;
  clientHost: string;
  broker: BrokerState;
}

/** Returned by a handler when Kafka sends no response at all (Produce with acks=0). */
export const NO_RESPONSE = Symbol('no-response');

export type Handler<Req, Res> = (req: Req, ctx: RequestContext) => Res | typeof NO_RESPONSE | Promise<Res | typeof NO_RESPONSE>;

/** The Kafka error code for anything a handler caught. */
export function codeOf(err: unknown): number {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'number' ? code : -1;
}
