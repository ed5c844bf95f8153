// Filter policies (pure): $or unrolled, attribute documents, body scope, and the checks made at Subscribe.
import { attributesDocument, expandOr, matchesFilterPolicy, parseFilterPolicy } from '../../../../local/sns/filter-policy';

test('$or unrolls into plain alternatives, nested too', () => {
  expect(expandOr({ a: [1], $or: [{ b: [2] }, { c: [3] }] })).toEqual([
    { a: [1], b: [2] },
    { a: [1], c: [3] },
  ]);
  expect(expandOr({ x: { $or: [{ y: [1] }, { z: [2] }] } })).toEqual([{ x: { y: [1] } }, { x: { z: [2] } }]);
});

test('attributes become a document: numbers as numbers, String.Array as arrays, Binary left out', () => {
  expect(
    attributesDocument({
      s: { DataType: 'String', StringValue: 'v' },
      n: { DataType: 'Number', StringValue: '1.5' },
      a: { DataType: 'String.Array', StringValue: '["x", 2]' },
      b: { DataType: 'Binary', BinaryValue: 'AA==' },
    }),
  ).toEqual({ s: 'v', n: 1.5, a: ['x', 2] });
});

test('matching on attributes and on the body', () => {
  const attrs = { size: { DataType: 'Number', StringValue: '12' }, tags: { DataType: 'String.Array', StringValue: '["red","big"]' } };
  expect(matchesFilterPolicy({ size: [{ numeric: ['>', 10, '<=', 12] }] }, undefined, '', attrs)).toBe(true);
  expect(matchesFilterPolicy({ tags: ['big'] }, 'MessageAttributes', '', attrs)).toBe(true);
  expect(matchesFilterPolicy({ tags: ['small'] }, 'MessageAttributes', '', attrs)).toBe(false);
  expect(matchesFilterPolicy({ missing: [{ exists: false }] }, 'MessageAttributes', '', attrs)).toBe(true);
  expect(matchesFilterPolicy({ a: { b: ['c'] } }, 'MessageBody', '{"a":{"b":"c"}}', undefined)).toBe(true);
  expect(matchesFilterPolicy({ a: ['x'] }, 'MessageBody', 'not json', undefined)).toBe(false);
  expect(matchesFilterPolicy(undefined, undefined, 'anything', undefined)).toBe(true);
});

test('policies are checked as SNS checks them', () => {
  expect(parseFilterPolicy('', 'MessageAttributes')).toBeUndefined();
  expect(() => parseFilterPolicy('{', 'MessageAttributes')).toThrow('Invalid parameter: FilterPolicy: failed to parse JSON.');
  expect(() => parseFilterPolicy('{"a":[],"b":[1]}', 'MessageAttributes')).toThrow('Empty arrays are not allowed');
  expect(() => parseFilterPolicy('{"a":[1],"b":[1],"c":[1],"d":[1],"e":[1],"f":[1]}', 'MessageAttributes')).toThrow('more than 5 keys');
  expect(parseFilterPolicy('{"a":{"b":["c"]}}', 'MessageBody')).toEqual({ a: { b: ['c'] } });
});
