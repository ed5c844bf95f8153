/**
 * The local Amazon SQS: a factory that the local cloud calls with its data folder, region,
 * account and edge URL; it returns the edge route (both SQS protocols), the deploy-time call for
 * `AWS::SQS::Queue`, in-process helpers for other emulators, and `close()`.
 * See README.md for what is emulated and what is not.
 */
import type { EdgeRoute } from '../edge';
import { header } from '../aws-shared/body';
import { SqsError } from './errors';
import type { SqsContext } from './operations/context';
import { MoveTaskRunner } from './operations/dead-letter';
import { checkRedrive, queueAttributes, validateQueueName } from './operations/queues';
import { type SendResult, enqueue } from './operations/send';
import { handleJson } from './protocol/json';
import { handleQuery, isSqsQueryRequest } from './protocol/query';
import { defaults, validateAttributes } from './attributes';
import type { AttributeValue } from './md5';
import { SqsStore } from './store';

export { SqsError } from './errors';
export type { AttributeValue } from './md5';

export interface SqsOptions {
  dataDir: string;
  region: string;
  accountId: string;
  /** the edge endpoint's URL; queue URLs are `<edgeUrl>/<accountId>/<name>` */
  edgeUrl: () => string;
  /** ms since the epoch; injected by tests to drive visibility timeouts and retention */
  clock?: () => number;
  log?: (m: string) => void;
}

export interface SendOptions {
  attributes?: Record<string, AttributeValue>;
  systemAttributes?: Record<string, AttributeValue>;
  groupId?: string;
  deduplicationId?: string;
  delaySeconds?: number;
}

export interface DeployedQueue {
  QueueUrl: string;
  Arn: string;
  QueueName: string;
}

export interface SqsEmulator {
  route: EdgeRoute;
  /** Creates or updates a queue from the resolved properties of an `AWS::SQS::Queue`. `name` is used when QueueName is absent. */
  deployQueue(props: Record<string, unknown>, opts?: { name?: string }): DeployedQueue;
  /** Deletes a queue deployed earlier (stack removal); no-op when absent. */
  deleteQueue(queue: string): void;
  /** SendMessage from another emulator (SNS, Lambda destinations, EventBridge): by ARN, URL or name. */
  sendMessage(queue: string, body: string, opts?: SendOptions): SendResult;
  /** GetQueueAttributes, in process. */
  queueAttributes(queue: string, names?: string[]): Record<string, string>;
  /** Long polls waiting on a queue now (for tools and tests that must know a receiver is parked). */
  waitingReceivers(queue: string): number;
  queueUrl(name: string): string;
  queueArn(name: string): string;
  close(): Promise<void>;
}

const CFN_ATTRIBUTES = [
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
  'RedrivePolicy',
  'RedriveAllowPolicy',
];

export function createSqsEmulator(opts: SqsOptions): SqsEmulator {
  const log = opts.log ?? (() => {});
  const store = new SqsStore({ dataDir: opts.dataDir, region: opts.region, accountId: opts.accountId, clock: opts.clock ?? Date.now, edgeUrl: opts.edgeUrl, log });
  const tasks = new MoveTaskRunner(store);
  tasks.resume();
  const ctx = (signal?: AbortSignal): SqsContext => ({ store, tasks, signal });
  const sweeper = setInterval(() => {
    const now = store.now();
    let n = 0;
    for (const q of store.queues.values()) n += q.sweep(now, store.record);
    if (n) store.flush();
  }, 60_000);
  sweeper.unref();

  const route: EdgeRoute = async (req, res) => {
    const target = header(req, 'x-amz-target');
    if (target?.startsWith('AmazonSQS.')) {
      await handleJson(req, res, target, ctx);
      return true;
    }
    if (await isSqsQueryRequest(req)) {
      await handleQuery(req, res, ctx, opts.region);
      return true;
    }
    return false;
  };

  return {
    route,
    deployQueue(props, o = {}) {
      let name = typeof props.QueueName === 'string' ? props.QueueName : o.name;
      if (!name) throw new Error('deployQueue: the queue has no QueueName and no name was given');
      const fifo = props.FifoQueue === true || props.FifoQueue === 'true';
      if (fifo && typeof props.QueueName !== 'string' && !name.endsWith('.fifo')) name = `${name.slice(0, 75)}.fifo`;
      const attrs: Record<string, string> = {};
      for (const k of CFN_ATTRIBUTES) {
        const v = props[k];
        if (v === undefined || v === null) continue;
        attrs[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
      }
      if (attrs.FifoQueue === 'false') delete attrs.FifoQueue;
      const tags: Record<string, string> = {};
      for (const t of (props.Tags as Array<{ Key: string; Value: string }> | undefined) ?? []) tags[t.Key] = String(t.Value);
      validateQueueName(name, attrs.FifoQueue);
      const existing = store.queues.get(name);
      const isFifo = name.endsWith('.fifo');
      const settable = { ...attrs };
      delete settable.FifoQueue;
      validateAttributes(attrs, isFifo, true);
      checkRedrive(store, attrs, isFifo, store.arnOf(name));
      const now = store.now();
      if (existing) {
        // an update: the template's attributes replace the queue's; what it no longer sets goes back to its default
        const next: Record<string, string> = { ...defaults(isFifo), ...settable };
        if (existing.attributes.FifoQueue) next.FifoQueue = existing.attributes.FifoQueue;
        existing.attributes = {};
        existing.setAttributes(next, now);
        existing.tags = tags;
        store.saveQueue(existing);
      } else store.createQueue({ name, attributes: attrs, tags, createdAt: now, modifiedAt: now });
      store.flush();
      return { QueueUrl: store.urlOf(name), Arn: store.arnOf(name), QueueName: name };
    },
    deleteQueue(queue) {
      const name = store.nameFromUrl(queue);
      const q = name === undefined ? undefined : store.queues.get(name);
      if (q) {
        store.deleteQueue(q);
        store.flush();
      }
    },
    sendMessage(queue, body, o = {}) {
      const q = store.resolve(queue);
      const input: Record<string, unknown> = { MessageBody: body };
      if (o.attributes && Object.keys(o.attributes).length) input.MessageAttributes = o.attributes;
      if (o.systemAttributes) input.MessageSystemAttributes = o.systemAttributes;
      if (o.groupId) input.MessageGroupId = o.groupId;
      if (o.deduplicationId) input.MessageDeduplicationId = o.deduplicationId;
      if (o.delaySeconds !== undefined) input.DelaySeconds = o.delaySeconds;
      const r = enqueue(store, q, input);
      store.flush();
      return r;
    },
    queueAttributes(queue, names = ['All']) {
      return queueAttributes(store, store.resolve(queue), names);
    },
    waitingReceivers: (queue) => store.resolve(queue).waitingReceivers,
    queueUrl: (name) => store.urlOf(name),
    queueArn: (name) => store.arnOf(name),
    async close() {
      clearInterval(sweeper);
      tasks.close();
      store.close();
    },
  };
}

export function isSqsError(err: unknown): err is SqsError {
  return err instanceof SqsError;
}
