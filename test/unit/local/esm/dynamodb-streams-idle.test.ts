import { idleDelayMs } from '../../../../local/esm/dynamodb-streams';

describe('the DynamoDB Streams poller: its wait after an empty poll', () => {
  it('looks again soon while records are coming, doubling from 10 ms to at most 50 ms', () => {
    expect([1, 2, 3, 4, 5, 20].map((n) => idleDelayMs(n, 100))).toEqual([10, 20, 40, 50, 50, 50]);
  });

  it('polls four times a second after five quiet seconds', () => {
    expect(idleDelayMs(1, 5_001)).toBe(250);
    expect(idleDelayMs(100, 60_000)).toBe(250);
    expect(idleDelayMs(100, 5_000)).toBe(50);
  });
});
