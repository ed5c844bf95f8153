/** Schedule expressions: AWS's accepted and refused forms, and exact firing times (UTC). */
import { nextFireTime, parseScheduleExpression, rateAnchor, ScheduleExpressionError } from '../../../../local/eventbridge/schedule';

const t = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function next(expr: string, afterIso: string, anchorIso = afterIso): string | null {
  return iso(nextFireTime(parseScheduleExpression(expr), rateAnchor(t(anchorIso)), t(afterIso)));
}

/** The first `n` firing times after `afterIso`. */
function series(expr: string, afterIso: string, n: number): string[] {
  const s = parseScheduleExpression(expr);
  const out: string[] = [];
  let at = t(afterIso);
  for (let i = 0; i < n; i++) {
    at = nextFireTime(s, 0, at) as number;
    out.push(iso(at) as string);
  }
  return out;
}

describe('accepted expressions (examples of the EventBridge user guide)', () => {
  test.each([
    'rate(1 minute)',
    'rate(5 minutes)',
    'rate(1 hour)',
    'rate(12 hours)',
    'rate(1 day)',
    'rate(7 days)',
    'cron(0 2 ? * SAT *)',
    'cron(0 12 * * ? *)',
    'cron(5,35 14 * * ? *)',
    'cron(15 10 ? * 6L 2002-2005)',
    'cron(0 2 ? * SAT#3 *)',
    'cron(* * ? * SAT#3 *)',
    'cron(0/5 5 ? JAN 1-5 2022)',
    'cron(0 10 * * ? *)',
    'cron(0 18 ? * MON-FRI *)',
    'cron(0 8 1 * ? *)',
    'cron(0/15 * * * ? *)',
    'cron(0/10 * ? * MON-FRI *)',
    'cron(0/5 8-17 ? * MON-FRI *)',
    'cron(0/30 20-23 ? * MON-FRI *)',
    'cron(0 9 LW * ? *)',
    'cron(0 9 15W * ? *)',
    'cron(* * ? * mon-sun *)',
  ])('%s', (expr) => {
    expect(() => parseScheduleExpression(expr)).not.toThrow();
  });
});

describe('refused expressions answer "Parameter ScheduleExpression is not valid."', () => {
  test.each([
    'rate(10 seconds)',
    'rate(10 years)',
    'rate(1 minutes)',
    'rate(1 hours)',
    'rate(1 days)',
    'rate(10 minute)',
    'rate(10 hour)',
    'rate(10 day)',
    'rate()',
    'rate(10)',
    'rate(10 minutess)',
    'rate(foo minutes)',
    'rate(0 minutes)',
    'rate(-10 minutes)',
    'rate(10 MINUTES)',
    'rate( 10 minutes )',
    ' rate(10 minutes)',
    'cron(0 1 * * * *)',
    'cron(0 1 ? * ? *)',
    'cron(7 20 * * NOT *)',
    'cron(INVALID)',
    'cron(0 dummy ? * MON-FRI *)',
    'cron(71 8 1 * ? *)',
    'cron(0 8 1 13 ? *)',
    'cron(0 8 ? * 8 *)',
    'cron(0 8 ? * 2#6 *)',
    'cron(0 8 1 * ? 2200)',
    'cron(0 8 1 * ?)',
    'at(2026-01-01T00:00:00)',
  ])('%s', (expr) => {
    expect(() => parseScheduleExpression(expr)).toThrow(new ScheduleExpressionError());
  });
});

describe('rate schedules run from the rule creation minute', () => {
  test('first event one period after creation, then every period', () => {
    expect(next('rate(5 minutes)', '2026-03-01T10:02:40Z')).toBe('2026-03-01T10:07:00.000Z');
    expect(next('rate(5 minutes)', '2026-03-01T10:07:00Z', '2026-03-01T10:02:40Z')).toBe('2026-03-01T10:12:00.000Z');
    expect(next('rate(1 hour)', '2026-03-01T13:30:00Z', '2026-03-01T10:02:00Z')).toBe('2026-03-01T14:02:00.000Z');
    expect(next('rate(2 days)', '2026-03-02T00:00:00Z', '2026-03-01T10:02:00Z')).toBe('2026-03-03T10:02:00.000Z');
  });
});

describe('cron firing times', () => {
  test('every day at noon', () => {
    expect(series('cron(0 12 * * ? *)', '2026-03-01T12:00:00Z', 2)).toEqual(['2026-03-02T12:00:00.000Z', '2026-03-03T12:00:00.000Z']);
  });
  test('lists and increments', () => {
    expect(series('cron(5,35 14 * * ? *)', '2026-03-01T14:05:00Z', 3)).toEqual([
      '2026-03-01T14:35:00.000Z',
      '2026-03-02T14:05:00.000Z',
      '2026-03-02T14:35:00.000Z',
    ]);
    expect(series('cron(0/15 * * * ? *)', '2026-03-01T10:07:00Z', 2)).toEqual(['2026-03-01T10:15:00.000Z', '2026-03-01T10:30:00.000Z']);
  });
  test('weekdays only: Friday evening to Monday evening', () => {
    expect(series('cron(0/30 20-23 ? * MON-FRI *)', '2026-03-06T23:30:00Z', 2)).toEqual(['2026-03-09T20:00:00.000Z', '2026-03-09T20:30:00.000Z']);
  });
  test('an hour range that wraps past midnight', () => {
    expect(series('cron(0 22-2 * * ? *)', '2026-03-01T23:00:00Z', 4)).toEqual([
      '2026-03-02T00:00:00.000Z',
      '2026-03-02T01:00:00.000Z',
      '2026-03-02T02:00:00.000Z',
      '2026-03-02T22:00:00.000Z',
    ]);
  });
  test('L in day-of-month: the last day of each month', () => {
    expect(series('cron(0 8 L * ? *)', '2026-02-01T00:00:00Z', 2)).toEqual(['2026-02-28T08:00:00.000Z', '2026-03-31T08:00:00.000Z']);
  });
  test('L alone in day-of-week is Saturday; 6L the last Friday', () => {
    expect(next('cron(0 12 ? * L *)', '2026-03-01T00:00:00Z')).toBe('2026-03-07T12:00:00.000Z');
    expect(next('cron(15 10 ? * 6L 2002-2005)', '2001-12-31T00:00:00Z')).toBe('2002-01-25T10:15:00.000Z');
    expect(next('cron(15 10 ? * 6L 2002-2005)', '2026-01-01T00:00:00Z')).toBeNull();
  });
  test('W: the weekday nearest a day, within the month', () => {
    expect(next('cron(0 9 15W * ? *)', '2026-03-01T00:00:00Z')).toBe('2026-03-16T09:00:00.000Z'); // the 15th is a Sunday
    expect(next('cron(0 9 15W * ? *)', '2026-05-01T00:00:00Z')).toBe('2026-05-15T09:00:00.000Z'); // a Friday
    expect(next('cron(0 9 30W * ? *)', '2026-05-01T00:00:00Z')).toBe('2026-05-29T09:00:00.000Z'); // Saturday: the Friday before
    expect(next('cron(0 9 1W * ? *)', '2026-08-01T00:00:00Z')).toBe('2026-08-03T09:00:00.000Z'); // Saturday the 1st: Monday the 3rd
    expect(next('cron(0 9 31W * ? *)', '2026-02-01T00:00:00Z')).toBe('2026-03-31T09:00:00.000Z'); // February has no 31st
  });
  test('LW: the last weekday of the month', () => {
    expect(next('cron(0 9 LW * ? *)', '2026-05-01T00:00:00Z')).toBe('2026-05-29T09:00:00.000Z'); // the 31st is a Sunday
    expect(next('cron(0 9 LW * ? *)', '2026-08-01T00:00:00Z')).toBe('2026-08-31T09:00:00.000Z'); // a Monday
  });
  test('#: the n-th weekday of the month', () => {
    expect(next('cron(0 2 ? * SAT#3 *)', '2026-03-01T00:00:00Z')).toBe('2026-03-21T02:00:00.000Z');
    expect(next('cron(0 10 ? * 2#1 *)', '2026-01-06T00:00:00Z')).toBe('2026-02-02T10:00:00.000Z');
  });
  test('month and year fields', () => {
    expect(series('cron(0/5 5 ? JAN 1-5 2022)', '2021-06-01T00:00:00Z', 2)).toEqual(['2022-01-02T05:00:00.000Z', '2022-01-02T05:05:00.000Z']);
    expect(next('cron(0/5 5 ? JAN 1-5 2022)', '2022-02-01T00:00:00Z')).toBeNull();
  });
  test('a time on a whole minute is not repeated', () => {
    expect(next('cron(* * ? * * *)', '2026-03-01T10:00:00Z')).toBe('2026-03-01T10:01:00.000Z');
    expect(next('cron(* * ? * * *)', '2026-03-01T10:00:59.999Z')).toBe('2026-03-01T10:01:00.000Z');
  });
});
