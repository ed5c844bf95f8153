// Identifiers the local cloud hands out: request ids, random hex for X-Ray trace headers, log stream names.
// Random bytes come from a pooled buffer so that the per-request path does not call into the CSPRNG each time.
import { randomFillSync, randomUUID } from 'node:crypto';

const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

/** `bytes` random bytes as lowercase hex. */
export function randomHex(bytes: number): string {
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const s = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return s;
}

/** `bytes` random bytes, base64. */
export function randomBase64(bytes: number): string {
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const s = pool.toString('base64', offset, offset + bytes);
  offset += bytes;
  return s;
}

export function requestId(): string {
  return randomUUID();
}

/** A new X-Ray trace header: Root=1-<8 hex epoch seconds>-<24 hex>;Parent=<16 hex>;Sampled=<0|1>. */
let epochSecond = -1;
let epochHex = '';

export function newTraceHeader(sampled: boolean): string {
  const sec = Math.floor(Date.now() / 1000);
  if (sec !== epochSecond) {
    epochSecond = sec;
    epochHex = sec.toString(16).padStart(8, '0');
  }
  return `Root=1-${epochHex}-${randomHex(12)};Parent=${randomHex(8)};Sampled=${sampled ? 1 : 0}`;
}

/**
 * Continues an incoming X-Amzn-Trace-Id header: keeps its Root (and Sampled decision when given),
 * with a new Parent segment id. Returns a fresh header when the incoming one has no usable Root.
 */
export function continueTraceHeader(incoming: string | undefined, defaultSampled: boolean | (() => boolean)): string {
  const decide = () => (typeof defaultSampled === 'function' ? defaultSampled() : defaultSampled);
  if (!incoming) return newTraceHeader(decide());
  let root: string | undefined;
  let sampled: string | undefined;
  for (const part of incoming.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 'Root') root = v;
    else if (k === 'Sampled') sampled = v;
  }
  if (!root || !/^1-[0-9a-f]{8}-[0-9a-f]{24}$/.test(root)) return newTraceHeader(decide());
  const s = sampled === '0' || sampled === '1' ? sampled : decide() ? '1' : '0';
  return `Root=${root};Parent=${randomHex(8)};Sampled=${s}`;
}

/** A Lambda log stream name: 2024/01/31/[$LATEST]<32 hex>. */
export function logStreamName(now = new Date()): string {
  const y = now.getUTCFullYear();
  const m = String(now.getUTCMonth() + 1).padStart(2, '0');
  const d = String(now.getUTCDate()).padStart(2, '0');
  return `${y}/${m}/${d}/[$LATEST]${randomHex(16)}`;
}
