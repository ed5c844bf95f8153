// JSONPath as Step Functions evaluates it, intrinsic functions as the AWS-recorded cases show them, choice rules.
import { evalChoiceRule } from '../../../../local/stepfunctions/runtime/choice-rules';
import { RuntimeFault } from '../../../../local/stepfunctions/runtime/errors';
import { evaluateIntrinsic, IntrinsicSyntaxError, parseIntrinsic } from '../../../../local/stepfunctions/runtime/intrinsics';
import { parsePath, PathSyntaxError, read, setPath } from '../../../../local/stepfunctions/runtime/jsonpath';
import { evalPayload } from '../../../../local/stepfunctions/runtime/payload';

const doc = { a: { b: [10, 20, { c: 'x' }] }, items: [{ p: 1 }, { p: 5 }], 'odd key': true };

describe('JSONPath', () => {
  test('definite paths read one value; Jayway wording for what is missing', () => {
    expect(read('$.a.b[1]', doc)).toEqual({ found: true, value: 20 });
    expect(read("$['a']['b'][-1].c", doc)).toEqual({ found: true, value: 'x' });
    expect(read("$['odd key']", doc)).toEqual({ found: true, value: true });
    expect(read('$.nope', doc)).toEqual({ found: false, reason: "Invalid path '$.nope' : No results for path: $['nope']" });
    expect(read('$.no.such.path', doc)).toEqual({ found: false, reason: "Invalid path '$.no.such.path' : Missing property in path $['no']" });
    expect(read('$.a.b.length()', doc)).toEqual({ found: true, value: 3 });
    expect(read('$$.Execution.Name', {}, { Execution: { Name: 'e1' } })).toEqual({ found: true, value: 'e1' });
  });

  test('indefinite paths are lists, empty when nothing matches (AWS answers [] over missing input)', () => {
    expect(read('$.items[*].p', doc)).toEqual({ found: true, value: [1, 5] });
    expect(read('$.items[?(@.p > 2)]', doc)).toEqual({ found: true, value: [{ p: 5 }] });
    expect(read('$..c', doc)).toEqual({ found: true, value: ['x'] });
    expect(read('$.missing[*]', doc)).toEqual({ found: true, value: [] });
    expect(read('$.[?(@.p == 1)]', doc.items)).toEqual({ found: true, value: [{ p: 1 }] });
    expect(parsePath('$.items[0:1]').segs).toBeNull();
  });

  test('syntax errors are refused', () => {
    expect(() => parsePath('a.b')).toThrow(PathSyntaxError);
    expect(() => parsePath('$.a[')).toThrow(PathSyntaxError);
    expect(() => parsePath('$.a[x]')).toThrow(PathSyntaxError);
  });

  test('ResultPath places the result, creating missing objects, and never changes the input', () => {
    const input = { keep: 1, deep: { x: 1 } };
    expect(setPath('$.r', input, 5)).toEqual({ ok: true, value: { keep: 1, deep: { x: 1 }, r: 5 } });
    expect(setPath('$.new.inner', input, 5)).toEqual({ ok: true, value: { keep: 1, deep: { x: 1 }, new: { inner: 5 } } });
    expect(setPath('$.deep.y', input, 2)).toEqual({ ok: true, value: { keep: 1, deep: { x: 1, y: 2 } } });
    expect(input).toEqual({ keep: 1, deep: { x: 1 } });
    expect(setPath('$', input, 'all')).toEqual({ ok: true, value: 'all' });
  });
});

describe('intrinsic functions', () => {
  const scope = (input: unknown) => ({ input, context: { Execution: { Name: 'exec-1' } } });
  const ev = (expr: string, input: unknown = {}) => evaluateIntrinsic(expr, scope(input));

  test('MathAdd rounds each argument half-up before adding (Java Math.round)', () => {
    expect(ev('States.MathAdd($.a, $.b)', { a: 1.49, b: 1.5 })).toBe(3);
    expect(ev('States.MathAdd($.a, $.b)', { a: -1.5, b: 0 })).toBe(-1);
    expect(ev('States.MathAdd($.a, $.b)', { a: -0.5, b: 0.5 })).toBe(1);
    expect(ev('States.MathAdd(1, -3)')).toBe(-2);
  });

  test('StringSplit splits on any delimiter character and drops empty tokens', () => {
    expect(ev("States.StringSplit('This.is+a,test=string', '.+,=')")).toEqual(['This', 'is', 'a', 'test', 'string']);
    expect(ev("States.StringSplit(',,,,', ',')")).toEqual([]);
    expect(ev("States.StringSplit(', , ,', ',')")).toEqual([' ', ' ']);
  });

  test('Format renders objects as Java maps and honours escaped braces and quotes', () => {
    expect(ev("States.Format('x={} y={}', $.o, $.s)", { o: { Arg1: 1, Arg2: [] }, s: 'str' })).toBe('x={Arg1=1, Arg2=[]} y=str');
    expect(ev("States.Format('\\{literal\\} {} it\\'s', $$.Execution.Name)")).toBe("{literal} exec-1 it's");
    expect(ev("States.Format('{}', $.n)", { n: null })).toBe('null');
  });

  test('JSON, arrays, hashing, encoding', () => {
    expect(ev('States.StringToJson($.s)', { s: ' ' })).toBeNull();
    expect(ev('States.StringToJson($.s)', { s: '{"a":[1]}' })).toEqual({ a: [1] });
    expect(ev('States.JsonToString($.o)', { o: { a: [1, 'x'] } })).toBe('{"a":[1,"x"]}');
    expect(ev('States.JsonMerge($.a, $.b, false)', { a: { x: { y: 1 }, k: 1 }, b: { x: { z: 2 } } })).toEqual({ x: { z: 2 }, k: 1 });
    expect(ev('States.ArrayPartition($.a, 2)', { a: [1, 2, 3] })).toEqual([[1, 2], [3]]);
    expect(ev('States.ArrayRange(1, 9, 2)')).toEqual([1, 3, 5, 7, 9]);
    expect(ev('States.ArrayContains($.a, $.v)', { a: [{ x: [1] }], v: { x: [1] } })).toBe(true);
    expect(ev('States.ArrayUnique($.a)', { a: [1, 1, { a: 1 }, { a: 1 }] })).toEqual([1, { a: 1 }]);
    expect(ev('States.ArrayGetItem(States.Array(1, 2, 3), States.MathAdd(States.ArrayLength(States.Array(1, 2)), -1))')).toBe(2);
    expect(ev("States.Hash('input data', 'SHA-1')")).toBe('aaff4a450a104cd177d28d18d74485e8cae074b7');
    expect(ev("States.Base64Decode(States.Base64Encode('Data to encode'))")).toBe('Data to encode');
    expect(ev('States.UUID()')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const r = ev('States.MathRandom(5, 7)') as number;
    expect(r === 5 || r === 6).toBe(true);
  });

  test('syntax and runtime errors', () => {
    expect(() => parseIntrinsic('States.Nope(1)')).toThrow(IntrinsicSyntaxError);
    expect(() => parseIntrinsic('States.Format(')).toThrow(IntrinsicSyntaxError);
    expect(() => parseIntrinsic('States.ArrayLength(1, 2)')).toThrow('States.ArrayLength takes 1 arguments, got 2');
    expect(() => ev('States.ArrayGetItem($.a, 5)', { a: [1] })).toThrow(RuntimeFault);
    expect(() => ev('States.ArrayLength($.missing)')).toThrow(RuntimeFault);
  });

  test('payload templates evaluate ".$" keys, nested objects and arrays', () => {
    const out = evalPayload({ 'a.$': '$.x', nested: { 'b.$': 'States.Array($.x)' }, list: [{ 'c.$': '$$.Execution.Name' }], lit: 'plain' }, scope({ x: 7 }));
    expect(out).toEqual({ a: 7, nested: { b: [7] }, list: [{ c: 'exec-1' }], lit: 'plain' });
  });
});

describe('choice rules', () => {
  const s = (input: unknown) => ({ input, context: {} });
  test('type mismatches are false; Is* false means "is not"; And/Or/Not', () => {
    expect(evalChoiceRule({ Variable: '$.v', NumericEquals: 1 }, s({ v: '1' }))).toBe(false);
    expect(evalChoiceRule({ Variable: '$.v', IsBoolean: false }, s({ v: null }))).toBe(true);
    expect(evalChoiceRule({ Variable: '$.v', IsNull: false }, s({ v: false }))).toBe(true);
    expect(evalChoiceRule({ Variable: '$.missing', IsPresent: false }, s({}))).toBe(true);
    expect(evalChoiceRule({ Variable: '$.v', StringMatches: 'log-*.txt' }, s({ v: 'log-2024.txt' }))).toBe(true);
    expect(evalChoiceRule({ Variable: '$.v', StringMatches: 'a\\*b' }, s({ v: 'a*b' }))).toBe(true);
    expect(evalChoiceRule({ Variable: '$.v', TimestampLessThanPath: '$.w' }, s({ v: '2020-01-01T00:00:00Z', w: '2020-01-01T00:00:00.5+00:00' }))).toBe(true);
    expect(evalChoiceRule({ And: [{ Variable: '$.v', NumericGreaterThan: 1 }, { Not: { Variable: '$.v', NumericEquals: 3 } }] }, s({ v: 2 }))).toBe(true);
    expect(() => evalChoiceRule({ Variable: '$.missing', NumericEquals: 1 }, s({}))).toThrow("Invalid path '$.missing' : No results for path: $['missing']");
  });
});
