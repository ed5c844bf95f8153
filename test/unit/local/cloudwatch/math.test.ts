import { evaluate, MathError, parseExpression, type MathContext, type TimeSeries } from '../../../../local/cloudwatch/math';

const series = (pairs: Array<[number, number]>): TimeSeries => new Map(pairs);
const ctx = (data: Record<string, TimeSeries>, range: number[] = [0, 60_000, 120_000]): MathContext => ({
  series: (id) => (data[id] ? { s: data[id]!, period: 60 } : undefined),
  metricIds: () => Object.keys(data),
  timestamps: () => range,
});
const run = (expr: string, data: Record<string, TimeSeries>) => {
  const v = evaluate(parseExpression(expr), ctx(data));
  if (v.kind === 'series') return [...v.s];
  if (v.kind === 'scalar') return v.v;
  throw new Error(`unexpected ${v.kind}`);
};

describe('metric math', () => {
  const ok = series([[0, 9], [60_000, 4]]);
  const bad = series([[0, 1], [120_000, 2]]);

  it('combines series where both have a point, and scalars with every point', () => {
    expect(run('ok + bad', { ok, bad })).toEqual([[0, 10]]);
    expect(run('100 * ok / 4', { ok })).toEqual([[0, 225], [60_000, 100]]);
    expect(run('-ok', { ok })).toEqual([[0, -9], [60_000, -4]]);
    expect(run('2 ^ 3 + 1', {})).toBe(9);
  });

  it('fills gaps with a value or the last one', () => {
    expect(run('100 * FILL(bad, 0) / (FILL(ok, 0) + FILL(bad, 0))', { ok, bad })).toEqual([[0, 10], [60_000, 0], [120_000, 100]]);
    expect(run('FILL(ok, REPEAT)', { ok })).toEqual([[0, 9], [60_000, 4], [120_000, 4]]);
  });

  it('aggregates arrays point by point and series into one value', () => {
    expect(run('SUM(METRICS())', { ok, bad })).toEqual([[0, 10], [60_000, 4], [120_000, 2]]);
    expect(run('MAX(METRICS("b"))', { ok, bad })).toEqual([[0, 1], [120_000, 2]]);
    expect(run('AVG(ok)', { ok })).toBe(6.5);
  });

  it('has rates, differences, comparisons and IF', () => {
    expect(run('RATE(ok)', { ok })).toEqual([[60_000, -5 / 60]]);
    expect(run('DIFF(bad)', { bad })).toEqual([[120_000, 1]]);
    expect(run('ok > 5', { ok })).toEqual([[0, 1], [60_000, 0]]);
    expect(run('IF(ok > 5, ok, 0)', { ok })).toEqual([[0, 9], [60_000, 0]]);
    expect(run('PERIOD(ok)', { ok })).toBe(60);
  });

  it.each(['ok +', 'FOO(ok)', 'nope * 2', '(ok', 'FILL(ok, BOGUS)'])('refuses %s', (expr) => {
    expect(() => run(expr, { ok })).toThrow(MathError);
  });
});
