// Dead-letter queues: ListDeadLetterSourceQueues, and the DLQ redrive API (StartMessageMoveTask,
// ListMessageMoveTasks, CancelMessageMoveTask) with the task runner that moves the messages.
import { randomUUID } from 'node:crypto';
import { invalidParameterValue, resourceNotFound, unsupportedOperation } from '../errors';
import type { Message, Queue } from '../queue';
import type { MoveTask, SqsStore } from '../store';
import { type Input, type SqsContext, optInt, optString, reqString } from './context';

export function listDeadLetterSourceQueues(ctx: SqsContext, input: Input): { queueUrls: string[]; NextToken?: string } {
  const { store } = ctx;
  const dlq = store.byUrl(reqString(input, 'QueueUrl'));
  const max = optInt(input, 'MaxResults', 1, 1000);
  const token = optString(input, 'NextToken');
  const names = [...store.queues.values()]
    .filter((q) => q.redrive?.deadLetterTargetArn === dlq.arn)
    .map((q) => q.name)
    .sort();
  let start = 0;
  if (token) {
    const after = Buffer.from(token, 'base64url').toString('utf8');
    start = names.findIndex((n) => n > after);
    if (start < 0) start = names.length;
  }
  const limit = max ?? 1000;
  const page = names.slice(start, start + limit);
  const out: { queueUrls: string[]; NextToken?: string } = { queueUrls: page.map((n) => store.urlOf(n)) };
  if (max !== undefined && start + limit < names.length) out.NextToken = Buffer.from(page[page.length - 1]!, 'utf8').toString('base64url');
  return out;
}

/** Runs message move tasks: moves visible messages from a dead-letter queue back, at the asked rate. */
export class MoveTaskRunner {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly store: SqsStore) {}

  /** Resumes the tasks that were running when the emulator stopped. */
  resume(): void {
    for (const t of this.store.tasks) if (t.status === 'RUNNING' || t.status === 'CANCELLING') this.schedule(t, 0);
  }

  start(task: MoveTask): void {
    this.store.tasks.push(task);
    this.store.record({ t: 'task', task });
    this.schedule(task, 0);
  }

  cancel(task: MoveTask): void {
    const timer = this.timers.get(task.taskHandle);
    if (timer) clearTimeout(timer);
    this.timers.delete(task.taskHandle);
    task.status = 'CANCELLED';
    this.store.record({ t: 'task', task });
    this.store.flush();
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private schedule(task: MoveTask, delay: number): void {
    const timer = setTimeout(() => this.step(task), delay);
    timer.unref?.();
    this.timers.set(task.taskHandle, timer);
  }

  private finish(task: MoveTask, status: MoveTask['status'], reason?: string): void {
    this.timers.delete(task.taskHandle);
    task.status = status;
    if (reason) task.failureReason = reason;
    this.store.record({ t: 'task', task });
    this.store.flush();
  }

  private step(task: MoveTask): void {
    const { store } = this;
    if (task.status !== 'RUNNING') return this.finish(task, 'CANCELLED');
    const source = store.byArn(task.sourceArn);
    if (!source) return this.finish(task, 'FAILED', 'AWS.SimpleQueueService.NonExistentQueue');
    const now = store.now();
    const batch = Math.min(task.maxPerSecond ?? 500, task.toMove - task.moved);
    let moved = 0;
    for (const m of [...source.messages.values()]) {
      if (moved >= batch) break;
      if (m.visibleAt > now) continue;
      const dest = task.destinationArn ? store.byArn(task.destinationArn) : m.dlqSource ? store.byArn(m.dlqSource) : undefined;
      if (!dest) {
        return this.finish(task, 'FAILED', task.destinationArn ? 'AWS.SimpleQueueService.NonExistentQueue' : 'Message has no DeadLetterQueueSourceArn');
      }
      moveMessage(store, source, dest, m, now);
      moved++;
    }
    task.moved += moved;
    store.flush();
    if (moved === 0 || task.moved >= task.toMove) return this.finish(task, 'COMPLETED');
    this.schedule(task, task.maxPerSecond ? 1000 : 0);
  }
}

/** Moves one message to another queue as a new delivery: received 0 times, visible at once. */
function moveMessage(store: SqsStore, from: Queue, to: Queue, m: Message, now: number): void {
  from.remove(m.id);
  store.record({ t: 'd', q: from.name, i: m.id });
  const moved: Message = { ...m, sentAt: now, visibleAt: now, receiveCount: 0, firstReceiveAt: undefined, handle: undefined, dlqSource: undefined };
  if (to.fifo) moved.seq = store.nextSequenceNumber();
  else delete moved.seq;
  to.add(moved, now);
  store.record({ t: 's', q: to.name, m: moved });
}

function taskHandle(taskId: string, sourceArn: string): string {
  return Buffer.from(JSON.stringify({ taskId, sourceArn }), 'utf8').toString('base64');
}

export function startMessageMoveTask(ctx: SqsContext, input: Input): { TaskHandle: string } {
  const { store } = ctx;
  const sourceArn = reqString(input, 'SourceArn');
  const destinationArn = optString(input, 'DestinationArn');
  const rate = optInt(input, 'MaxNumberOfMessagesPerSecond', 1, 500);
  const source = store.byArn(sourceArn);
  if (!source) throw resourceNotFound('The resource that you specified for the SourceArn parameter doesn\'t exist.');
  if (![...store.queues.values()].some((q) => q.redrive?.deadLetterTargetArn === source.arn))
    throw invalidParameterValue('Source queue must be configured as a Dead Letter Queue.');
  if (destinationArn && !store.byArn(destinationArn)) throw resourceNotFound('The resource that you specified for the DestinationArn parameter doesn\'t exist.');
  if (store.tasks.some((t) => t.sourceArn === sourceArn && t.status === 'RUNNING'))
    throw unsupportedOperation('There is already a task running. Only one active task is allowed for a source queue arn at a given time.');
  const now = store.now();
  const task: MoveTask = {
    taskHandle: taskHandle(randomUUID(), sourceArn),
    sourceArn,
    destinationArn,
    maxPerSecond: rate,
    status: 'RUNNING',
    moved: 0,
    toMove: source.counts(now).visible,
    startedAt: now,
  };
  ctx.tasks.start(task);
  return { TaskHandle: task.taskHandle };
}

export function listMessageMoveTasks(ctx: SqsContext, input: Input): { Results: Array<Record<string, unknown>> } {
  const { store } = ctx;
  const sourceArn = reqString(input, 'SourceArn');
  const max = optInt(input, 'MaxResults', 1, 10) ?? 1;
  if (!store.byArn(sourceArn)) throw resourceNotFound('The resource that you specified for the SourceArn parameter doesn\'t exist.');
  const tasks = store.tasks.filter((t) => t.sourceArn === sourceArn).reverse().slice(0, max);
  return {
    Results: tasks.map((t) => {
      const r: Record<string, unknown> = { Status: t.status, SourceArn: t.sourceArn };
      if (t.status === 'RUNNING') r.TaskHandle = t.taskHandle;
      if (t.destinationArn) r.DestinationArn = t.destinationArn;
      if (t.maxPerSecond) r.MaxNumberOfMessagesPerSecond = t.maxPerSecond;
      r.ApproximateNumberOfMessagesMoved = t.moved;
      if (t.status === 'RUNNING') r.ApproximateNumberOfMessagesToMove = t.toMove;
      if (t.failureReason) r.FailureReason = t.failureReason;
      r.StartedTimestamp = t.startedAt;
      return r;
    }),
  };
}

export function cancelMessageMoveTask(ctx: SqsContext, input: Input): { ApproximateNumberOfMessagesMoved: number } {
  const handle = reqString(input, 'TaskHandle');
  const task = ctx.store.tasks.find((t) => t.taskHandle === handle);
  if (!task) throw resourceNotFound('Task does not exist.');
  if (task.status !== 'RUNNING') throw unsupportedOperation('Only active tasks can be cancelled.');
  ctx.tasks.cancel(task);
  return { ApproximateNumberOfMessagesMoved: task.moved };
}
