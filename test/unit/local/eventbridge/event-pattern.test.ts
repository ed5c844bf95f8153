/**
 * The event pattern language against the cases of AWS's EventBridge documentation
 * (test/fixtures/eventbridge/event-pattern-cases.json, shared with the TestEventPattern
 * integration test), plus the refusals with AWS's messages.
 */
import cases from '../../../fixtures/eventbridge/event-pattern-cases.json';
import {
  compileEventPattern,
  EventPatternError,
  flattenEvent,
  matchesEvent,
  matchesPattern,
  passesFilters,
  PatternIndex,
} from '../../../../local/eventbridge/pattern';

const events = cases.events as Record<string, unknown>;

describe('documented cases', () => {
  test.each(cases.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const pattern = compileEventPattern(JSON.stringify(c.pattern));
    expect(matchesEvent(pattern, events[c.event])).toBe(c.match);
  });
});

describe('refused patterns', () => {
  test.each(cases.invalid.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    let error: unknown;
    try {
      compileEventPattern(c.pattern);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EventPatternError);
    expect((error as Error).message).toBe(c.message);
  });
});

test('the refusal reason is the message without its prefix', () => {
  expect(() => compileEventPattern('{"a": 1}')).toThrow(EventPatternError);
  try {
    compileEventPattern('{"a": 1}');
  } catch (e) {
    expect((e as EventPatternError).reason).toBe('"a" must be an object or an array\n at [Source: (String)"{"a": 1}"; line: 1, column: 8]');
  }
});

test('locations count lines and columns like Jackson', () => {
  const text = '{\n  "source": [\n    "x"\n  ],\n  "detail": 5\n}';
  expect(() => compileEventPattern(text)).toThrow(
    `Event pattern is not valid. Reason: "detail" must be an object or an array\n at [Source: (String)"${text}"; line: 5, column: 14]`,
  );
});

test('a long pattern is truncated to 500 characters in the location', () => {
  const text = `{"a": [${'"x",'.repeat(200)} {"nope": 1}]}`;
  let message = '';
  try {
    compileEventPattern(text);
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toContain(`[Source: (String)"${text.slice(0, 500)}"[truncated ${text.length - 500} chars]; line: 1, column: `);
  expect(message.startsWith('Event pattern is not valid. Reason: Unrecognized match type nope\n')).toBe(true);
});

test('a repeated key replaces the earlier one, as Ruler does', () => {
  const p = compileEventPattern('{"detail": {"location": [{"prefix": "us-"}], "location": [{"anything-but": "us-east"}]}}');
  expect(matchesEvent(p, { detail: { location: 'eu-central-1' } })).toBe(true);
});

test('$or forks every branch built so far', () => {
  const p = compileEventPattern('{"a": ["1"], "$or": [{"b": ["2"]}, {"c": ["3"]}], "d": ["4"]}');
  expect(p.branches.map((b) => b.map((f) => f.path).sort())).toEqual([
    ['a', 'b', 'd'],
    ['a', 'c', 'd'],
  ]);
  expect(matchesEvent(p, { a: '1', c: '3', d: '4' })).toBe(true);
  expect(matchesEvent(p, { a: '1', c: '3' })).toBe(false);
});

test('flattening keeps the array element each value came from', () => {
  const flat = flattenEvent({ a: [{ b: 1 }, { b: 2, c: [true, null] }], d: {}, e: [] });
  expect([...flat.keys()].sort()).toEqual(['a.b', 'a.c']);
  expect(flat.get('a.b')).toEqual([
    { value: 1, arrays: [0, 0] },
    { value: 2, arrays: [0, 1] },
  ]);
  expect(flat.get('a.c')).toEqual([
    { value: true, arrays: [0, 1, 1, 0] },
    { value: null, arrays: [0, 1, 1, 1] },
  ]);
});

test('Lambda filter criteria helpers take patterns as objects', () => {
  const record = { eventName: 'INSERT', dynamodb: { NewImage: { status: { S: 'LOW' } } } };
  expect(matchesPattern({ eventName: ['INSERT'] }, record)).toBe(true);
  expect(passesFilters([], record)).toBe(true);
  expect(passesFilters([{ eventName: ['MODIFY'] }, '{"dynamodb": {"NewImage": {"status": {"S": [{"prefix": "LO"}]}}}}'], record)).toBe(true);
  expect(passesFilters([{ eventName: ['MODIFY'] }], record)).toBe(false);
});

describe('PatternIndex', () => {
  const compiled = cases.cases.map((c) => compileEventPattern(JSON.stringify(c.pattern)));
  const index = new PatternIndex(compiled.map((p, i) => [i, p] as [number, typeof p]));

  test('every pattern that matches an event is among its candidates', () => {
    for (const [name, event] of Object.entries(events)) {
      const flat = flattenEvent(event);
      const candidates = index.candidates(flat);
      compiled.forEach((p, i) => {
        if (matchesEvent(p, event)) expect([name, i, candidates.has(i)]).toEqual([name, i, true]);
      });
    }
  });

  test('patterns whose exact values the event lacks are skipped', () => {
    const p = (o: object) => compileEventPattern(JSON.stringify(o));
    const idx = new PatternIndex<string>([
      ['orders', p({ source: ['orders'], 'detail-type': ['OrderPlaced', 'OrderConfirmed'] })],
      ['payments', p({ source: ['payments'] })],
      ['or', p({ $or: [{ source: ['orders'], detail: { n: [1] } }, { detail: { flag: [true] } }] })],
      ['prefix', p({ source: [{ prefix: 'ord' }] })],
    ]);
    expect([...idx.candidates(flattenEvent({ source: 'orders', 'detail-type': 'OrderPlaced' }))].sort()).toEqual(['orders', 'prefix']);
    expect([...idx.candidates(flattenEvent({ source: 'orders', 'detail-type': 'Other', detail: { n: 1 } }))].sort()).toEqual(['or', 'prefix']);
    expect([...idx.candidates(flattenEvent({ source: 'x', detail: { flag: true } }))].sort()).toEqual(['or', 'prefix']);
    expect([...idx.candidates(flattenEvent({ source: 'payments' }))].sort()).toEqual(['payments', 'prefix']);
  });
});
