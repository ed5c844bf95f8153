import { backoffMs, DEFAULT_RETRY } from '../../../../../lambdas/notifications/domain/retry';

describe('backoff between attempts', () => {
  it('doubles from the base, half fixed and half random, up to the ceiling', () => {
    const p = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 1000 };
    expect([1, 2, 3, 4].map((a) => backoffMs(p, a, () => 0))).toEqual([100, 200, 400, 500]);
    expect([1, 2, 3, 4].map((a) => backoffMs(p, a, () => 1))).toEqual([200, 400, 800, 1000]);
    expect(backoffMs(DEFAULT_RETRY, 1, () => 0.5)).toBe(150);
  });
});
