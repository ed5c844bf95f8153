import { compileFilterPattern, FilterPatternError } from '../../../../local/logs/filter-pattern';

const json = '2026-11-30T12:00:00.000Z\tabc\tINFO\t{"level":"ERROR","message":"payment declined","order_id":"o-42","latency":130,"retry":true,"gone":null,"items":[{"sku":"A"}]}';
const plain = 'START RequestId: 1234 Version: $LATEST';

describe('CloudWatch Logs filter patterns', () => {
  it.each([
    ['', plain, true],
    ['START', plain, true],
    ['START RequestId', plain, true],
    ['START nope', plain, false],
    ['"RequestId: 1234"', plain, true],
    ['?nope ?Version', plain, true],
    ['?nope ?other', plain, false],
    ['START -LATEST', plain, false],
    ['{ $.level = "ERROR" }', json, true],
    ['{ $.level = "INFO" }', json, false],
    ['{ $.order_id = "o-*" }', json, true],
    ['{ $.latency > 100 }', json, true],
    ['{ $.latency <= 100 }', json, false],
    ['{ $.retry IS TRUE }', json, true],
    ['{ $.gone IS NULL }', json, true],
    ['{ $.absent NOT EXISTS }', json, true],
    ['{ $.items[0].sku = "A" }', json, true],
    ['{ ($.level = "ERROR") && ($.latency > 500) }', json, false],
    ['{ ($.level = "ERROR") && ($.latency > 500 || $.retry IS TRUE) }', json, true],
    ['{ $.level != "ERROR" }', json, false],
    ['{ $.level = "ERROR" }', plain, false],
    ['%declined|refused%', json, true],
    ['%^START%', json, false],
  ])('%s on %s', (pattern, message, expected) => {
    expect(compileFilterPattern(pattern)(message)).toBe(expected);
  });

  it.each(['{ $.level = }', '{ level = "x" }', '[ip, user]', '{ $.a = "x"'])('refuses %s', (p) => {
    expect(() => compileFilterPattern(p)).toThrow(FilterPatternError);
  });
});
