// Unit tests of the document parser (dynamic mapping, coercion, errors) and the mapping model.
import { AnalysisRegistry } from '../../../../local/opensearch/analysis/analyzers';
import { OpenSearchError } from '../../../../local/opensearch/errors';
import { applyDynamicUpdates, parseDocument } from '../../../../local/opensearch/mapping/document-parser';
import { Mapping } from '../../../../local/opensearch/mapping/mapping';

const reg = new AnalysisRegistry(undefined);

function err(fn: () => unknown): OpenSearchError {
  try {
    fn();
  } catch (e) {
    return e as OpenSearchError;
  }
  throw new Error('expected an error');
}

describe('document parsing', () => {
  test('coerces numbers, truncates longs, applies ignore_above and multi-fields', () => {
    const m = new Mapping({ properties: { n: { type: 'long' }, f: { type: 'float' }, k: { type: 'keyword', ignore_above: 3 }, t: { type: 'text', fields: { raw: { type: 'keyword' } } } } }, reg);
    const p = parseDocument(m, { n: '12.7', f: 1.1, k: ['ab', 'abcd'], t: 'Hello World' }, '1');
    const v = Object.fromEntries(p.fields.map((x) => [x.info.path, x.values]));
    expect(v.n).toEqual([12]);
    expect(v.f).toEqual([Math.fround(1.1)]);
    expect(v.k).toEqual(['ab']);
    expect(v.t).toEqual(['Hello World']);
    expect(v['t.raw']).toEqual(['Hello World']);
  });

  test('type errors are mapper_parsing_exception with OpenSearch wording', () => {
    const m = new Mapping({ properties: { n: { type: 'integer' }, b: { type: 'boolean' }, o: { properties: { x: { type: 'keyword' } } } } }, reg);
    const e1 = err(() => parseDocument(m, { n: 'abc' }, '7'));
    expect(e1.type).toBe('mapper_parsing_exception');
    expect(e1.reason).toBe("failed to parse field [n] of type [integer] in document with id '7'. Preview of field's value: 'abc'");
    expect(e1.causedBy?.type).toBe('number_format_exception');
    expect(err(() => parseDocument(m, { n: 3e10 }, '7')).causedBy?.reason).toBe('Value [30000000000] is out of range for an integer');
    expect(err(() => parseDocument(m, { b: 'yes' }, '7')).causedBy?.reason).toBe('Failed to parse value [yes] as only [true] or [false] are allowed.');
    expect(err(() => parseDocument(m, { o: 'flat' }, '7')).reason).toBe('object mapping for [o] tried to parse field [o] as object, but found a concrete value');
  });

  test('dynamic additions are returned, not applied, until committed; dotted keys are objects', () => {
    const m = new Mapping(undefined, reg);
    const p = parseDocument(m, { 'a.b': 5, c: [1.5, 2], d: null }, '1');
    expect(m.fields.size).toBe(0);
    applyDynamicUpdates(m, p.dynamicUpdates);
    expect(m.toJSON()).toEqual({ properties: { a: { properties: { b: { type: 'long' } } }, c: { type: 'float' } } });
  });

  test('dynamic false ignores, strict refuses (also inside objects)', () => {
    const off = new Mapping({ dynamic: false, properties: { a: { type: 'keyword' } } }, reg);
    expect(parseDocument(off, { a: 'x', b: 'y' }, '1').dynamicUpdates).toEqual([]);
    const strict = new Mapping({ properties: { o: { type: 'object', dynamic: 'strict', properties: { a: { type: 'keyword' } } } } }, reg);
    expect(err(() => parseDocument(strict, { o: { z: 1 } }, '1')).reason).toBe('mapping set to strict, dynamic introduction of [z] within [o] is not allowed');
  });
});

describe('mapping definitions', () => {
  test('unknown parameters, types and analyzers are refused', () => {
    const bogus = err(() => new Mapping({ properties: { a: { type: 'text', bogus: 1 } } }, reg));
    expect(bogus.reason).toBe('Failed to parse mapping [_doc]: unknown parameter [bogus] on mapper [a] of type [text]');
    expect(bogus.rootCauses()[0].reason).toBe('unknown parameter [bogus] on mapper [a] of type [text]');
    expect(err(() => new Mapping({ properties: { a: { type: 'text', analyzer: 'nope' } } }, reg)).causedBy?.reason).toBe('analyzer [nope] has not been configured in mappings');
    expect(err(() => new Mapping({ foo: 1 }, reg)).type).toBe('mapper_parsing_exception');
  });
  test('GET _mapping shape: type first, properties sorted', () => {
    const m = new Mapping({ properties: { z: { type: 'keyword' }, a: { fields: { k: { type: 'keyword' } }, type: 'text' } } }, reg);
    expect(JSON.stringify(m.toJSON())).toBe('{"properties":{"a":{"type":"text","fields":{"k":{"type":"keyword"}}},"z":{"type":"keyword"}}}');
  });
});
