/**
 * Delivery of matched events to targets, with EventBridge's retry policy and dead-letter queues.
 *
 * - Lambda functions are invoked asynchronously, state machines started, SQS messages sent, all
 *   through functions the local cloud injects; an event bus target routes the event on that bus.
 * - A failed delivery is retried with exponential backoff and jitter until the target's
 *   RetryPolicy is exhausted (defaults: 185 retries, 24 hours of event age). Errors that no retry
 *   can fix (the target does not exist, no permission, an input that cannot be built) are not
 *   retried. Then the event goes to the target's dead-letter queue (through the injected SQS
 *   send, with AWS's RULE_ARN, TARGET_ARN, ERROR_CODE, ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION
 *   and RETRY_ATTEMPTS attributes); without one it is dropped as AWS drops it, and logged.
 * - Deliveries waiting for a retry are persisted, so a restart resumes them. A first attempt in
 *   flight when the process dies is lost (AWS would retry it).
 */
import { randomUUID } from 'node:crypto';
import { arnService } from './arns';
import type { Clock, ClockTimer } from './clock';
import type { EventRecord, PendingDelivery, Rule, Target } from './model';
import { InputTransformError, targetInput } from './transform';

export interface SqsSendOptions {
  /** SqsParameters.MessageGroupId of the target (FIFO queues) */
  messageGroupId?: string;
  /** string message attributes (the dead-letter attributes) */
  attributes?: Record<string, string>;
}

/** The calls EventBridge makes to other services; each rejects when the delivery failed. */
export interface TargetInvokers {
  /** Invoke a Lambda function asynchronously (InvocationType Event) with this payload. */
  invokeLambda?: (functionArn: string, payload: string) => Promise<void>;
  /** StartExecution of a Step Functions state machine with this input. */
  startExecution?: (stateMachineArn: string, input: string) => Promise<void>;
  /** SendMessage to an SQS queue. */
  sendSqs?: (queueArn: string, body: string, options?: SqsSendOptions) => Promise<void>;
}

/**
 * A failure an injected invoker can throw to say how EventBridge should treat it. Other errors
 * are classified by name: *NotFound*, *NonExistent*, *DoesNotExist* → NO_RESOURCE and
 * *AccessDenied*, *NotAuthorized* → NO_PERMISSIONS (not retried), *Throttl*, *TooManyRequests* →
 * THROTTLING, *Timeout* → TIMEOUT, anything else → SDK_CLIENT_ERROR (retried).
 */
export class TargetDeliveryError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

interface Failure {
  code: string;
  message: string;
  retryable: boolean;
}

export function classifyFailure(err: unknown): Failure {
  if (err instanceof TargetDeliveryError) return { code: err.code, message: err.message, retryable: err.retryable };
  if (err instanceof InputTransformError) return { code: 'INVALID_JSON', message: err.message, retryable: false };
  const e = err as { name?: string; code?: string; message?: string };
  const name = `${e?.name ?? ''} ${e?.code ?? ''}`;
  const message = e?.message ?? String(err);
  if (/NotFound|NonExistent|DoesNotExist|NoSuch/i.test(name)) return { code: 'NO_RESOURCE', message, retryable: false };
  if (/AccessDenied|NotAuthorized|Unauthorized|Forbidden/i.test(name)) return { code: 'NO_PERMISSIONS', message, retryable: false };
  if (/Throttl|TooManyRequests|RequestLimitExceeded/i.test(name)) return { code: 'THROTTLING', message, retryable: true };
  if (/Timeout|TimedOut/i.test(name)) return { code: 'TIMEOUT', message, retryable: true };
  return { code: 'SDK_CLIENT_ERROR', message, retryable: true };
}

export interface DeliveryStats {
  /** deliveries the target accepted */
  delivered: number;
  /** attempts that failed and were scheduled again */
  retried: number;
  /** events sent to a dead-letter queue */
  deadLettered: number;
  /** events dropped: retries exhausted (or not retryable) with no dead-letter queue, or the DLQ failed too */
  dropped: number;
}

export interface DelivererDeps {
  clock: Clock;
  log: (m: string) => void;
  invokers: TargetInvokers;
  /** route an event on a bus of this emulator (event bus targets); false when there is no such bus */
  routeToBus: (busArn: string, rec: EventRecord) => boolean;
  /** the rule and target of a pending retry, or null when either is gone */
  lookup: (ruleArn: string, targetId: string) => { rule: Rule; target: Target } | null;
  /** called when the set of pending retries changed */
  changed: () => void;
  random: () => number;
  retryBaseMs: number;
  retryMaxDelayMs: number;
}

const DEFAULT_RETRIES = 185;
const DEFAULT_MAX_AGE_S = 86_400;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export class Deliverer {
  readonly stats: DeliveryStats = { delivered: 0, retried: 0, deadLettered: 0, dropped: 0 };
  private readonly pending = new Map<string, { p: PendingDelivery; timer: ClockTimer | null }>();
  private readonly inflight = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly deps: DelivererDeps) {}

  /** Sends an event to one target of a rule (asynchronously). */
  deliver(rule: Rule, target: Target, rec: EventRecord, replayName?: string): void {
    this.track(this.attempt(rule, target, rec, 1, replayName));
  }

  /** Deliveries waiting for a retry, for persistence. */
  pendingDeliveries(): PendingDelivery[] {
    return [...this.pending.values()].map((e) => e.p);
  }

  /** Re-arms retries persisted by an earlier run. */
  restore(list: PendingDelivery[]): void {
    for (const p of list) this.arm(p);
  }

  /** Stops retrying (pending retries stay persisted) and waits for attempts in flight. */
  async close(): Promise<void> {
    this.closed = true;
    for (const { timer } of this.pending.values()) if (timer) this.deps.clock.clearTimeout(timer);
    await Promise.allSettled([...this.inflight]);
  }

  /** Resolves when no attempt is in flight (retries waiting on the clock do not count). */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private arm(p: PendingDelivery): void {
    if (this.closed) {
      // shutting down: keep the delivery for the next run
      this.pending.set(p.id, { p, timer: null });
      return;
    }
    const timer = this.deps.clock.setTimeout(() => {
      this.pending.delete(p.id);
      this.deps.changed();
      if (this.closed) return;
      const found = this.deps.lookup(p.ruleArn, p.targetId);
      if (!found) {
        this.stats.dropped++;
        this.deps.log(`eventbridge: retry of an event for ${p.ruleArn} target ${p.targetId} dropped: the rule or target no longer exists`);
        return;
      }
      const rec: EventRecord = { event: JSON.parse(p.eventJson) as Record<string, unknown>, json: p.eventJson, ingestMs: p.ingestMs };
      this.track(this.attempt(found.rule, found.target, rec, p.attempts + 1, p.replayName));
    }, p.dueMs - this.deps.clock.now());
    this.pending.set(p.id, { p, timer });
  }

  private async attempt(rule: Rule, target: Target, rec: EventRecord, attempt: number, replayName?: string): Promise<void> {
    try {
      await this.send(rule, target, rec);
      this.stats.delivered++;
    } catch (err) {
      await this.failed(rule, target, rec, attempt, classifyFailure(err), replayName);
    }
  }

  private async send(rule: Rule, target: Target, rec: EventRecord): Promise<void> {
    const service = arnService(target.Arn);
    const { invokers } = this.deps;
    if (service === 'events' && /:event-bus\//.test(target.Arn)) {
      if (!this.deps.routeToBus(target.Arn, rec)) throw new TargetDeliveryError('NO_RESOURCE', `Event bus ${target.Arn} does not exist.`, false);
      return;
    }
    const payload = targetInput(target, rec.event, rec.json, { ruleArn: rule.arn, ruleName: rule.name, ingestionTime: iso(rec.ingestMs) });
    switch (service) {
      case 'lambda':
        if (!invokers.invokeLambda) throw new TargetDeliveryError('NO_RESOURCE', 'this local EventBridge has no Lambda invoker', false);
        return invokers.invokeLambda(target.Arn, payload);
      case 'states':
        if (!invokers.startExecution) throw new TargetDeliveryError('NO_RESOURCE', 'this local EventBridge has no Step Functions starter', false);
        return invokers.startExecution(target.Arn, payload);
      case 'sqs':
        if (!invokers.sendSqs) throw new TargetDeliveryError('NO_RESOURCE', 'this local EventBridge has no SQS sender', false);
        return invokers.sendSqs(target.Arn, payload, { messageGroupId: target.SqsParameters?.MessageGroupId });
      default:
        throw new TargetDeliveryError('INVALID_PARAMETER', `the local cloud does not deliver to ${service ?? 'this kind of'} targets (${target.Arn})`, false);
    }
  }

  private async failed(rule: Rule, target: Target, rec: EventRecord, attempt: number, f: Failure, replayName?: string): Promise<void> {
    const maxRetries = target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_RETRIES;
    const maxAgeMs = (target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_S) * 1000;
    const now = this.deps.clock.now();
    let exhausted: string | null = null;
    if (f.retryable) {
      const backoff = Math.min(this.deps.retryMaxDelayMs, this.deps.retryBaseMs * 2 ** (attempt - 1));
      const delay = Math.round(backoff * (0.5 + 0.5 * this.deps.random()));
      if (attempt > maxRetries) exhausted = 'MaximumRetryAttempts';
      else if (now + delay - rec.ingestMs > maxAgeMs) exhausted = 'MaximumEventAgeInSeconds';
      else {
        this.stats.retried++;
        this.arm({
          id: randomUUID(),
          ruleArn: rule.arn,
          targetId: target.Id,
          eventJson: rec.json,
          ingestMs: rec.ingestMs,
          replayName,
          attempts: attempt,
          dueMs: now + delay,
          lastError: { code: f.code, message: f.message },
        });
        this.deps.changed();
        return;
      }
    }
    await this.deadLetter(rule, target, rec, attempt, f, exhausted);
  }

  private async deadLetter(rule: Rule, target: Target, rec: EventRecord, attempt: number, f: Failure, exhausted: string | null): Promise<void> {
    const dlq = target.DeadLetterConfig?.Arn;
    const what = `event ${String(rec.event.id)} for ${rule.arn} target ${target.Id} (${target.Arn}) failed after ${attempt} attempt(s): ${f.code} ${f.message}`;
    if (!dlq) {
      this.stats.dropped++;
      this.deps.log(`eventbridge: ${what}; dropped (the target has no dead-letter queue)`);
      return;
    }
    const attributes: Record<string, string> = {
      RULE_ARN: rule.arn,
      TARGET_ARN: target.Arn,
      ERROR_CODE: f.code,
      ERROR_MESSAGE: f.message,
      RETRY_ATTEMPTS: String(attempt - 1),
    };
    if (exhausted) attributes.EXHAUSTED_RETRY_CONDITION = exhausted;
    try {
      if (!this.deps.invokers.sendSqs) throw new Error('this local EventBridge has no SQS sender');
      await this.deps.invokers.sendSqs(dlq, rec.json, { attributes });
      this.stats.deadLettered++;
      this.deps.log(`eventbridge: ${what}; sent to the dead-letter queue ${dlq}`);
    } catch (err) {
      this.stats.dropped++;
      this.deps.log(`eventbridge: ${what}; the dead-letter queue ${dlq} refused it too (${(err as Error).message}), dropped`);
    }
  }
}
