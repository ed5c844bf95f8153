/**
 * Task tokens of `.waitForTaskToken` tasks. A token is opaque to clients but self-describing here
 * (base64url of {execution ARN, random id}), which is how SendTask* tells apart the three errors AWS
 * answers: a string that is not a token (InvalidToken), a token of an execution that does not exist
 * (TaskDoesNotExist), and a token whose task is no longer waiting: completed, timed out, execution ended
 * (TaskTimedOut, "Provided task does not exist anymore").
 *
 * Waiting tasks register here; after a restart, resumed executions register their tokens again (the
 * token is kept in the TaskScheduled event's resume data).
 */
import crypto from 'node:crypto';
import { abortable } from './clock';
import { invalidToken, taskDoesNotExist, taskTimedOut } from './errors';
import { StatesError, TaskTimeout } from './runtime/errors';
import type { TokenBroker } from './runtime/execution';

interface Waiter {
  executionArn: string;
  resolve(v: unknown): void;
  reject(e: unknown): void;
  heartbeatMs?: number;
  timer?: NodeJS.Timeout;
}

export function decodeToken(token: unknown): { a: string; n: string } | null {
  if (typeof token !== 'string' || token.length < 10 || token.length > 2048 || !token.startsWith('AQ')) return null;
  try {
    const v = JSON.parse(Buffer.from(token.slice(2), 'base64url').toString('utf8')) as { a?: unknown; n?: unknown };
    return typeof v.a === 'string' && typeof v.n === 'string' ? { a: v.a, n: v.n } : null;
  } catch {
    return null;
  }
}

export class TaskTokens implements TokenBroker {
  private readonly waiting = new Map<string, Waiter>();

  constructor(private readonly executionExists: (arn: string) => boolean) {}

  issue(executionArn: string): string {
    return `AQ${Buffer.from(JSON.stringify({ a: executionArn, n: crypto.randomBytes(24).toString('base64url') })).toString('base64url')}`;
  }

  wait(token: string, executionArn: string, opts: { signal: AbortSignal; heartbeatSeconds?: number }): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      const w: Waiter = { executionArn, resolve, reject, heartbeatMs: opts.heartbeatSeconds ? opts.heartbeatSeconds * 1000 : undefined };
      const done = () => {
        clearTimeout(w.timer);
        this.waiting.delete(token);
      };
      w.resolve = (v) => {
        done();
        resolve(v);
      };
      w.reject = (e) => {
        done();
        reject(e);
      };
      this.waiting.set(token, w);
      this.arm(w);
      abortable(opts.signal, () => () => undefined).catch((e) => w.reject(e));
    });
  }

  private arm(w: Waiter): void {
    if (!w.heartbeatMs) return;
    clearTimeout(w.timer);
    w.timer = setTimeout(() => w.reject(new TaskTimeout(true)), w.heartbeatMs);
  }

  private find(token: unknown): Waiter {
    const d = decodeToken(token);
    if (!d) throw invalidToken();
    const w = this.waiting.get(token as string);
    if (w) return w;
    if (!this.executionExists(d.a)) throw taskDoesNotExist();
    throw taskTimedOut();
  }

  success(token: unknown, output: unknown): void {
    this.find(token).resolve(output);
  }

  failure(token: unknown, error: string | undefined, cause: string | undefined): void {
    this.find(token).reject(new StatesError(error ?? '', cause ?? null));
  }

  heartbeat(token: unknown): void {
    this.arm(this.find(token));
  }

  get pending(): number {
    return this.waiting.size;
  }
}
