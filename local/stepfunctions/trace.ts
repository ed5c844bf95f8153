/**
 * X-Ray trace headers (Root=1-<8 hex epoch seconds>-<24 hex>;Parent=<16 hex>;Sampled=1). Each execution
 * keeps the header StartExecution carried (DescribeExecution's `traceHeader`: "the X-Ray trace header that
 * was passed to the execution"), whose Parent is the caller's segment, the parent of the execution's
 * segment; without one it gets a new root. Each Lambda task gets the root with Parent = its state's
 * subsegment (./tracing.ts), so a function's segments hang under the state that called it.
 */
import crypto from 'node:crypto';

export function newTraceHeader(sampled = true): string {
  const sec = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
  return `Root=1-${sec}-${crypto.randomBytes(12).toString('hex')};Sampled=${sampled ? 1 : 0}`;
}

/**
 * The caller's trace header (Root, its Parent, Sampled), or a new trace when it has no usable Root.
 * `decide` samples a trace whose caller made no decision (the X-Ray sampling rule in force).
 */
export function continueTrace(incoming: string | undefined, decide: () => boolean = () => true): string {
  const root = incoming && /(?:^|;)\s*Root=(1-[0-9a-f]{8}-[0-9a-f]{24})/.exec(incoming)?.[1];
  if (!root) return newTraceHeader(decide());
  const parent = /(?:^|;)\s*Parent=([0-9a-f]{16})/.exec(incoming!)?.[1];
  const sampled = /(?:^|;)\s*Sampled=([01])/.exec(incoming!)?.[1] ?? (decide() ? '1' : '0');
  return `Root=${root}${parent ? `;Parent=${parent}` : ''};Sampled=${sampled}`;
}
