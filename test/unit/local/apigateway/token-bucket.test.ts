// Token bucket arithmetic with an injected clock (the real-time behaviour is covered by the gateway integration tests).
import { TokenBucket, takeAll } from '../../../../local/apigateway';

describe('TokenBucket', () => {
  test('starts full: burst requests pass, the next one is refused', () => {
    const b = new TokenBucket(2, 3, 0);
    expect([b.tryTake(0), b.tryTake(0), b.tryTake(0), b.tryTake(0)]).toEqual([true, true, true, false]);
  });

  test('refills at rate tokens per second', () => {
    const b = new TokenBucket(2, 3, 0);
    for (let i = 0; i < 3; i++) b.tryTake(0);
    expect(b.tryTake(499)).toBe(false);
    expect(b.tryTake(500)).toBe(true);
    expect(b.tryTake(500)).toBe(false);
    expect(b.msUntilToken(500)).toBe(500);
    expect(b.tryTake(1000)).toBe(true);
  });

  test('never holds more than the burst', () => {
    const b = new TokenBucket(100, 2, 0);
    expect(b.available(60_000)).toBe(2);
    expect([b.tryTake(60_000), b.tryTake(60_000), b.tryTake(60_000)]).toEqual([true, true, false]);
  });

  test('a zero burst refuses everything; a zero rate never refills', () => {
    expect(new TokenBucket(10, 0, 0).tryTake(5000)).toBe(false);
    const b = new TokenBucket(0, 1, 0);
    expect(b.tryTake(0)).toBe(true);
    expect(b.tryTake(1e9)).toBe(false);
    expect(b.msUntilToken(1e9)).toBe(Infinity);
  });

  test('takeAll takes from every bucket or from none', () => {
    const a = new TokenBucket(1, 5, 0);
    const empty = new TokenBucket(1, 1, 0);
    empty.tryTake(0);
    expect(takeAll([a, empty], 0)).toBe(false);
    expect(a.available(0)).toBe(5);
    expect(takeAll([a, empty], 1000)).toBe(true);
    expect(a.available(1000)).toBe(4);
    expect(empty.available(1000)).toBe(0);
  });
});
