/**
 * X-Ray trace headers (Root=1-<8 hex epoch seconds>-<24 hex>;Parent=<16 hex>;Sampled=1). Each execution
 * has one root (taken from the caller's X-Amzn-Trace-Id when StartExecution carries one); each Lambda task
 * gets it with a new Parent, so a function's segment hangs under the execution's trace.
 */
import crypto from 'node:crypto';

export function newTraceHeader(): string {
  const sec = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
  return `Root=1-${sec}-${crypto.randomBytes(12).toString('hex')};Parent=${crypto.randomBytes(8).toString('hex')};Sampled=1`;
}

/** The caller's trace header with a new Parent, or a new trace when it has no usable Root. */
export function continueTrace(incoming: string | undefined): string {
  const root = incoming && /(?:^|;)\s*Root=(1-[0-9a-f]{8}-[0-9a-f]{24})/.exec(incoming)?.[1];
  if (!root) return newTraceHeader();
  const sampled = /(?:^|;)\s*Sampled=([01])/.exec(incoming!)?.[1] ?? '1';
  return `Root=${root};Parent=${crypto.randomBytes(8).toString('hex')};Sampled=${sampled}`;
}
