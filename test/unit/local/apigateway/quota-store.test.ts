// Usage-plan quota periods and persistence, with an injected clock.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { periodBounds, QuotaStore } from '../../../../local/apigateway';

const noLog = () => undefined;

describe('periodBounds', () => {
  const t = Date.UTC(2024, 4, 15, 13, 45); // Wednesday 15 May 2024, 13:45 UTC
  test('DAY runs from 00:00 UTC to the next 00:00 UTC', () => {
    expect(periodBounds('DAY', t)).toEqual({ start: Date.UTC(2024, 4, 15), end: Date.UTC(2024, 4, 16) });
  });
  test('WEEK starts on Sunday 00:00 UTC', () => {
    expect(periodBounds('WEEK', t)).toEqual({ start: Date.UTC(2024, 4, 12), end: Date.UTC(2024, 4, 19) });
  });
  test('MONTH starts on the 1st', () => {
    expect(periodBounds('MONTH', t)).toEqual({ start: Date.UTC(2024, 4, 1), end: Date.UTC(2024, 5, 1) });
    expect(periodBounds('MONTH', Date.UTC(2024, 11, 31, 23))).toEqual({ start: Date.UTC(2024, 11, 1), end: Date.UTC(2025, 0, 1) });
  });
});

describe('QuotaStore', () => {
  test('DAY quota resets at 00:00 UTC', () => {
    const q = new QuotaStore(undefined, noLog);
    const quota = { limit: 2, period: 'DAY' as const };
    const late = Date.UTC(2024, 0, 1, 23, 59, 59);
    expect(q.tryConsume('p', 'k', quota, late)).toBe(true);
    expect(q.tryConsume('p', 'k', quota, late)).toBe(true);
    expect(q.tryConsume('p', 'k', quota, late + 500)).toBe(false);
    expect(q.remaining('p', 'k', quota, late)).toBe(0);
    expect(q.tryConsume('p', 'k', quota, Date.UTC(2024, 0, 2))).toBe(true);
    // Keys are counted separately.
    expect(q.tryConsume('p', 'other', quota, late)).toBe(true);
  });

  test('offset is subtracted in the initial period only', () => {
    const q = new QuotaStore(undefined, noLog);
    const quota = { limit: 3, period: 'DAY' as const, offset: 2 };
    const day1 = Date.UTC(2024, 0, 1, 10);
    expect(q.tryConsume('p', 'k', quota, day1)).toBe(true);
    expect(q.tryConsume('p', 'k', quota, day1)).toBe(false);
    const day2 = Date.UTC(2024, 0, 2, 10);
    expect([1, 2, 3, 4].map(() => q.tryConsume('p', 'k', quota, day2))).toEqual([true, true, true, false]);
  });

  test('counters persist to the state file and are read back', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quota-'));
    const file = path.join(dir, 'state.json');
    const quota = { limit: 3, period: 'MONTH' as const };
    const now = Date.UTC(2024, 1, 10);
    const a = new QuotaStore(file, noLog);
    expect(a.tryConsume('p', 'k', quota, now)).toBe(true);
    expect(a.tryConsume('p', 'k', quota, now)).toBe(true);
    await a.close();
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).quotas['p/k'].used).toBe(2);
    const b = new QuotaStore(file, noLog);
    expect(b.remaining('p', 'k', quota, now)).toBe(1);
    expect(b.tryConsume('p', 'k', quota, now)).toBe(true);
    expect(b.tryConsume('p', 'k', quota, now)).toBe(false);
    await b.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a corrupt state file is ignored', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quota-'));
    const file = path.join(dir, 'state.json');
    fs.writeFileSync(file, '{not json');
    const logs: string[] = [];
    const q = new QuotaStore(file, (m) => logs.push(m));
    expect(q.remaining('p', 'k', { limit: 5, period: 'DAY' }, Date.now())).toBe(5);
    expect(logs.join('\n')).toContain('corrupt');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
