// Unit tests of analysis and small algorithms: the standard analyzer, fuzziness rules, edit distance,
// minimum_should_match, date parsing/math, Java number formatting and the Murmur3 routing hash.
import { BUILTIN_ANALYZERS, AnalysisRegistry } from '../../../../local/opensearch/analysis/analyzers';
import { osaDistance } from '../../../../local/opensearch/engine/inverted-field';
import { minShouldMatch } from '../../../../local/opensearch/search/queries/min-should-match';
import { resolveFuzziness } from '../../../../local/opensearch/search/queries/term-level';
import { parseDate, parseDateMath, detectDate } from '../../../../local/opensearch/util/dates';
import { javaDouble, shortestFloat } from '../../../../local/opensearch/util/format';
import { murmur3Bytes, shardFor } from '../../../../local/opensearch/util/murmur3';

describe('standard analyzer', () => {
  const std = BUILTIN_ANALYZERS.standard;
  test('lowercases and splits on Unicode word boundaries', () => {
    expect(std.terms('The QUICK brown-fox, jumped! Über café')).toEqual(['the', 'quick', 'brown', 'fox', 'jumped', 'über', 'café']);
  });
  test('keeps apostrophes, decimals and dotted acronyms inside tokens; ideographs one per token', () => {
    expect(std.terms("don't pay 3.5 or 1,000 for U.S.A wi_fi")).toEqual(["don't", 'pay', '3.5', 'or', '1,000', 'for', 'u.s.a', 'wi_fi']);
    expect(std.terms('東京タワー')).toEqual(['東', '京', 'タ', 'ワ', 'ー']);
  });
  test('mixed scripts and over-long tokens (cut at max_token_length) keep the rest of the text', () => {
    expect(std.terms('abc 東京 def')).toEqual(['abc', '東', '京', 'def']);
    const long = 'x'.repeat(300);
    expect(std.terms(`a ${long} b`)).toEqual(['a', 'x'.repeat(255), 'x'.repeat(45), 'b']);
  });
  test('tokens carry offsets for highlighting', () => {
    expect(std.tokens('Hi there')).toEqual([
      { term: 'hi', start: 0, end: 2 },
      { term: 'there', start: 3, end: 8 },
    ]);
  });
  test('custom analyzers from settings', () => {
    const reg = new AnalysisRegistry({
      analyzer: { autocomplete: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding', 'edge3'] } },
      filter: { edge3: { type: 'edge_ngram', min_gram: 1, max_gram: 3 } },
    });
    expect(reg.analyzer('autocomplete')!.terms('Café')).toEqual(['c', 'ca', 'caf']);
    expect(() => new AnalysisRegistry({ analyzer: { x: { type: 'custom', tokenizer: 'nope' } } })).toThrow('failed to find tokenizer under [nope]');
  });
});

describe('fuzziness and edit distance', () => {
  test('AUTO: 0 edits for 1-2 chars, 1 for 3-5, 2 above; explicit numbers are capped at 2', () => {
    expect(['ab', 'abc', 'abcde', 'abcdef'].map((t) => resolveFuzziness('AUTO', t))).toEqual([0, 1, 1, 2]);
    expect(resolveFuzziness('AUTO:2,4', 'abcd')).toBe(2);
    expect(resolveFuzziness(1, 'abcdef')).toBe(1);
    expect(resolveFuzziness('5', 'abcdef')).toBe(2);
    expect(resolveFuzziness(undefined, 'abcdef')).toBe(0);
  });
  test('optimal string alignment counts a transposition as one edit', () => {
    expect(osaDistance('headphones', 'headphnes', 2)).toBe(1);
    expect(osaDistance('mouse', 'muose', 2)).toBe(1);
    expect(osaDistance('kitten', 'sitting', 3)).toBe(3);
    expect(osaDistance('abc', 'xyz', 1)).toBe(2);
  });
});

test('minimum_should_match specifications', () => {
  expect(minShouldMatch(4, 2)).toBe(2);
  expect(minShouldMatch(4, -1)).toBe(3);
  expect(minShouldMatch(4, '75%')).toBe(3);
  expect(minShouldMatch(4, '-25%')).toBe(3);
  expect(minShouldMatch(2, '3<90%')).toBe(2);
  expect(minShouldMatch(10, '3<90%')).toBe(9);
  expect(minShouldMatch(3, '50%')).toBe(1);
});

describe('dates', () => {
  test('default format: strict_date_optional_time || epoch_millis', () => {
    expect(parseDate('2024-05-01')).toBe(Date.UTC(2024, 4, 1));
    expect(parseDate('2024-05-01T10:20:30.123+02:00')).toBe(Date.UTC(2024, 4, 1, 8, 20, 30, 123));
    expect(parseDate(1700000000000)).toBe(1700000000000);
    expect(parseDate('1700000000000')).toBe(1700000000000);
    expect(parseDate('2024-02-31')).toBeNull();
    expect(parseDate('yesterday')).toBeNull();
    expect(parseDate('01/05/2024', 'dd/MM/yyyy')).toBe(Date.UTC(2024, 4, 1));
  });
  test('date math with rounding', () => {
    const now = Date.UTC(2024, 4, 15, 13, 45);
    expect(parseDateMath('now-1d/d', undefined, false, now)).toBe(Date.UTC(2024, 4, 14));
    expect(parseDateMath('now-1d/d', undefined, true, now)).toBe(Date.UTC(2024, 4, 15) - 1);
    expect(parseDateMath('2024-01-31||+1M', undefined, false, now)).toBe(Date.UTC(2024, 2, 2));
    expect(() => parseDateMath('now+1x', undefined, false, now)).toThrow();
  });
  test('dynamic date detection', () => {
    expect(detectDate('2024-05-01T10:00:00Z')).toBe(true);
    expect(detectDate('2024/05/01 10:00:00 +0000')).toBe(true);
    expect(detectDate('hello world 2024')).toBe(false);
    expect(detectDate('12345')).toBe(false);
  });
});

test('Java number formatting', () => {
  expect(javaDouble(50)).toBe('50.0');
  expect(javaDouble(0.5)).toBe('0.5');
  expect(javaDouble(1e7)).toBe('1.0E7');
  expect(javaDouble(0.0001)).toBe('1.0E-4');
  expect(shortestFloat(Math.fround(19.99))).toBe(19.99);
});

describe('routing hash', () => {
  test('Murmur3 x86_32 reference vectors', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(murmur3Bytes(enc(''))).toBe(0);
    expect(murmur3Bytes(enc('test')) >>> 0).toBe(0xba6bd213);
    expect(murmur3Bytes(enc('Hello, world!')) >>> 0).toBe(0xc0363e43);
    expect(murmur3Bytes(enc('The quick brown fox jumps over the lazy dog')) >>> 0).toBe(0x2e4ff723);
  });
  test('shards are deterministic, in range, and spread', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const s = shardFor(`doc-${i}`, 5);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThan(5);
      expect(shardFor(`doc-${i}`, 5)).toBe(s);
      seen.add(s);
    }
    expect(seen.size).toBe(5);
    expect(shardFor('anything', 1)).toBe(0);
  });
});
