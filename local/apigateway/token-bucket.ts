// Token bucket, the algorithm API Gateway throttles with: capacity = burst limit, refilled at rate tokens per second.
// The clock is passed in (epoch ms) so one request reads it once for all its buckets.

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly rate: number,
    readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Tokens available at `now` (refills first). */
  available(now: number): number {
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
      this.last = now;
    }
    return this.tokens;
  }

  /** Takes one token if there is one. */
  tryTake(now: number): boolean {
    if (this.available(now) < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Takes one token; callers check `available` first (several buckets are taken together or not at all). */
  take(): void {
    this.tokens -= 1;
  }

  /** Milliseconds until one token is available. */
  msUntilToken(now: number): number {
    const t = this.available(now);
    if (t >= 1) return 0;
    if (this.rate <= 0) return Infinity;
    return Math.ceil(((1 - t) / this.rate) * 1000);
  }
}

/** Takes one token from every bucket, or from none when any of them is empty. */
export function takeAll(buckets: readonly TokenBucket[], now: number): boolean {
  for (const b of buckets) if (b.available(now) < 1) return false;
  for (const b of buckets) b.take();
  return true;
}
