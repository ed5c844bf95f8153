/**
 * How many requests the edge has routed, by operation: the `X-Amz-Target` header of the JSON
 * protocols (`DynamoDB_20120810.PutItem`, `AWSStepFunctions.StartExecution`, ...). Every function
 * reaches DynamoDB through the edge (AWS_ENDPOINT_URL), so the DynamoDB operations something took
 * are the difference of two snapshots (the saga benchmark counts them per order this way).
 *
 * Kept in memory, one integer per distinct target (a few dozen): counts start at zero with the
 * edge and are never reset, so that concurrent readers each take their own differences.
 */
export interface RequestCounts {
  /** when counting started (ISO-8601) */
  since: string;
  /** requests with an X-Amz-Target header, all operations together */
  total: number;
  /** requests per X-Amz-Target, sorted by target */
  targets: Record<string, number>;
}

export class RequestCounter {
  private readonly counts = new Map<string, number>();
  private total = 0;
  private readonly since: string;

  constructor(now: () => Date = () => new Date()) {
    this.since = now().toISOString();
  }

  count(target: string): void {
    this.total++;
    this.counts.set(target, (this.counts.get(target) ?? 0) + 1);
  }

  snapshot(): RequestCounts {
    const targets = Object.fromEntries([...this.counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return { since: this.since, total: this.total, targets };
  }
}

/** `after - before` per target (targets that did not move are left out); `prefix` keeps only those targets. */
export function countsBetween(before: RequestCounts, after: RequestCounts, prefix = ''): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [target, n] of Object.entries(after.targets)) {
    if (!target.startsWith(prefix)) continue;
    const d = n - (before.targets[target] ?? 0);
    if (d) out[target.slice(prefix.length)] = d;
  }
  return out;
}
