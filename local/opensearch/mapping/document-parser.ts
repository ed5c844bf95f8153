// Turns a document's _source into per-field values following the mapping: type conversion (coerce, date formats,
// ignore_above, null_value), dynamic mapping of new fields (true/false/strict, dynamic_templates), and the
// mapper_parsing_exception / strict_dynamic_mapping_exception errors OpenSearch raises on bad documents.
import { IllegalArgumentError, MapperParsingError, OpenSearchError, StrictDynamicMappingError } from '../errors';
import { detectDate, parseDate } from '../util/dates';
import { isPlainObject } from '../util/json';
import { Def, Mapping, isObjectDef } from './mapping';
import type { FieldInfo } from './types';

/** One leaf field's values in a document: strings for text/keyword, numbers for numeric/date/boolean. */
export interface ParsedField {
  info: FieldInfo;
  values: (string | number)[];
}

export interface ParsedDocument {
  fields: ParsedField[];
  dynamicUpdates: { parent: Def; key: string; def: Def }[];
}

function preview(v: unknown): string {
  if (isPlainObject(v)) return `{${Object.entries(v).map(([k, x]) => `${k}=${preview(x)}`).join(', ')}}`;
  if (Array.isArray(v)) return `[${v.map(preview).join(', ')}]`;
  return String(v);
}

function failField(info: FieldInfo, id: string, value: unknown, cause: OpenSearchError): never {
  throw new MapperParsingError(
    `failed to parse field [${info.path}] of type [${info.type}] in document with id '${id}'. Preview of field's value: '${preview(value)}'`,
    cause,
  );
}

function numberFormat(v: unknown): OpenSearchError {
  return new OpenSearchError('number_format_exception', `For input string: "${String(v)}"`, 400);
}

/** Converts one JSON value for a leaf field; returns undefined when it is not indexed (ignore_above, malformed). */
export function convertValue(info: FieldInfo, value: unknown, id: string): string | number | undefined {
  if (isPlainObject(value)) {
    if (info.ignoreMalformed) return undefined;
    failField(info, id, value, new IllegalArgumentError(`Can't get text on a START_OBJECT`));
  }
  switch (info.kind) {
    case 'text':
      return String(value);
    case 'keyword': {
      let s = String(value);
      if (info.ignoreAbove !== undefined && s.length > info.ignoreAbove) return undefined;
      if (info.normalizer) s = info.normalizer(s);
      return s;
    }
    case 'number': {
      let n: number;
      if (typeof value === 'number') n = value;
      else if (typeof value === 'string' && info.coerce && value.trim() !== '' && !Number.isNaN(Number(value.trim()))) n = Number(value.trim());
      else {
        if (info.ignoreMalformed) return undefined;
        if (typeof value === 'boolean') failField(info, id, value, new IllegalArgumentError(`Current token (VALUE_${String(value).toUpperCase()}) not numeric, can not use numeric value accessors`));
        failField(info, id, value, numberFormat(value));
      }
      if (!Number.isFinite(n)) failField(info, id, value, new IllegalArgumentError(`[${info.type}] supports only finite values, but got [${n}]`));
      if (info.integral) {
        if (!Number.isInteger(n)) {
          if (!info.coerce) failField(info, id, value, new IllegalArgumentError(`Value [${n}] has a decimal part`));
          n = Math.trunc(n);
        }
        if (n < info.min! || n > info.max!) failField(info, id, value, new IllegalArgumentError(`Value [${n}] is out of range for ${info.type === 'integer' ? 'an' : 'a'} ${info.type}`));
      } else if (info.scalingFactor !== undefined) {
        n = Math.round(n * info.scalingFactor) / info.scalingFactor;
      } else if (info.float32) n = Math.fround(n);
      return n;
    }
    case 'date': {
      const t = parseDate(value, info.format);
      if (t === null) {
        if (info.ignoreMalformed) return undefined;
        failField(info, id, value, new IllegalArgumentError(`failed to parse date field [${String(value)}] with format [${info.format}]`));
      }
      return t;
    }
    case 'boolean': {
      if (value === true || value === 'true') return 1;
      if (value === false || value === 'false' || value === '') return 0;
      if (info.ignoreMalformed) return undefined;
      return failField(info, id, value, new IllegalArgumentError(`Failed to parse value [${String(value)}] as only [true] or [false] are allowed.`));
    }
    default:
      return undefined;
  }
}

function matchSimple(pattern: string, s: string): boolean {
  if (!pattern.includes('*')) return pattern === s;
  const rx = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return rx.test(s);
}

function jsonType(v: unknown, dateDetection: boolean, numericDetection: boolean): string {
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'long' : 'double';
  if (typeof v === 'string') {
    if (dateDetection && detectDate(v)) return 'date';
    if (numericDetection && v.trim() !== '' && !Number.isNaN(Number(v))) return Number.isInteger(Number(v)) ? 'long' : 'double';
    return 'string';
  }
  if (isPlainObject(v)) return 'object';
  return 'string';
}

/** The mapping OpenSearch's dynamic mapping gives a new field (dynamic_templates first). */
function dynamicDef(mapping: Mapping, name: string, path: string, value: unknown): Def {
  const jt = jsonType(value, mapping.dateDetection, mapping.numericDetection);
  for (const entry of mapping.dynamicTemplates) {
    const [tpl] = Object.values(entry);
    if (!isPlainObject(tpl)) continue;
    if (tpl.match_mapping_type !== undefined && tpl.match_mapping_type !== '*' && tpl.match_mapping_type !== jt) continue;
    if (tpl.match !== undefined && !matchSimple(String(tpl.match), name)) continue;
    if (tpl.unmatch !== undefined && matchSimple(String(tpl.unmatch), name)) continue;
    if (tpl.path_match !== undefined && !matchSimple(String(tpl.path_match), path)) continue;
    if (tpl.path_unmatch !== undefined && matchSimple(String(tpl.path_unmatch), path)) continue;
    const dynType = jt === 'string' ? 'text' : jt === 'double' ? 'float' : jt;
    const m = JSON.parse(JSON.stringify(tpl.mapping ?? {}).replace(/\{name\}/g, name).replace(/\{dynamic_type\}/g, dynType)) as Def;
    if (jt === 'object' && m.type === undefined) m.properties = m.properties ?? {};
    return m;
  }
  switch (jt) {
    case 'object':
      return { properties: {} };
    case 'boolean':
      return { type: 'boolean' };
    case 'long':
      return { type: 'long' };
    case 'double':
      return { type: 'float' };
    case 'date':
      return { type: 'date' };
    default:
      return { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
  }
}

/** Parses a document against the mapping; dynamic additions are returned, not applied (the caller commits). */
export function parseDocument(mapping: Mapping, source: Record<string, unknown>, id: string): ParsedDocument {
  const byPath = new Map<string, ParsedField>();
  const updates: ParsedDocument['dynamicUpdates'] = [];
  const pending = new Map<string, Def>(); // dynamic defs created for this document, by path
  let fieldTable = mapping.fields;
  let localFields: Map<string, FieldInfo> | null = null;

  const addValue = (info: FieldInfo, raw: unknown) => {
    const v = convertValue(info, raw, id);
    if (v === undefined) return;
    let pf = byPath.get(info.path);
    if (!pf) byPath.set(info.path, (pf = { info, values: [] }));
    pf.values.push(v);
    for (const mf of info.multiFields) {
      const mv = convertValue(mf, raw, id);
      if (mv === undefined) continue;
      let mpf = byPath.get(mf.path);
      if (!mpf) byPath.set(mf.path, (mpf = { info: mf, values: [] }));
      mpf.values.push(mv);
    }
    for (const target of info.copyTo) {
      const ti = fieldTable.get(target);
      if (ti) addValue(ti, raw);
    }
  };

  const leafInfo = (path: string, def: Def): FieldInfo => {
    let info = fieldTable.get(path);
    if (!info) {
      // A field added dynamically by this very document: resolve it through a scratch mapping.
      if (!localFields) localFields = new Map(fieldTable);
      const scratch = Object.create(Mapping.prototype) as Mapping;
      Object.assign(scratch, mapping, { fields: new Map(), objectPaths: new Set(), root: { properties: { __f: def } } });
      scratch.rebuild();
      const base = scratch.fields.get('__f')!;
      const rename = (fi: FieldInfo, p: string): FieldInfo => ({ ...fi, path: p, multiFields: fi.multiFields.map((m) => rename(m, p + m.path.slice(fi.path.length))) });
      info = rename(base, path);
      localFields.set(path, info);
      for (const mf of info.multiFields) localFields.set(mf.path, mf);
      fieldTable = localFields;
    }
    return info;
  };

  const walkValue = (parentDef: Def, parentPath: string, key: string, value: unknown, dynamicMode: string): void => {
    if (value === null || value === undefined) {
      const d = (parentDef.properties as Record<string, Def> | undefined)?.[key];
      if (d && !isObjectDef(d) && d.null_value !== undefined) walkValue(parentDef, parentPath, key, d.null_value, dynamicMode);
      return;
    }
    const path = parentPath ? `${parentPath}.${key}` : key;
    if (Array.isArray(value)) {
      for (const v of value) walkValue(parentDef, parentPath, key, v, dynamicMode);
      return;
    }
    const props = (parentDef.properties ?? {}) as Record<string, Def>;
    let def: Def | undefined = props[key] ?? pending.get(path);
    if (!def) {
      if (dynamicMode === 'strict') throw new StrictDynamicMappingError(key, parentPath || '_doc');
      if (dynamicMode === 'false') return;
      def = dynamicDef(mapping, key, path, value);
      if (mapping.dynamic === 'strict_allow_templates' && parentPath === '') throw new StrictDynamicMappingError(key, '_doc');
      pending.set(path, def);
      updates.push({ parent: parentDef, key, def });
    }
    if (isObjectDef(def)) {
      if (!isPlainObject(value)) {
        throw new MapperParsingError(`object mapping for [${path}] tried to parse field [${key}] as object, but found a concrete value`);
      }
      if (def.enabled === false) return;
      const mode = def.dynamic !== undefined ? String(def.dynamic) : dynamicMode;
      walkObject(def, path, value, mode);
      return;
    }
    addValue(leafInfo(path, def), value);
  };

  const walkObject = (def: Def, path: string, obj: Record<string, unknown>, dynamicMode: string): void => {
    for (const [rawKey, v] of Object.entries(obj)) {
      if (rawKey === '') throw new MapperParsingError(`field name cannot be an empty string`);
      if (rawKey.includes('.')) {
        // "a.b": v is the same as {"a": {"b": v}}
        const parts = rawKey.split('.');
        let nested: unknown = v;
        for (let i = parts.length - 1; i > 0; i--) nested = { [parts[i]]: nested };
        walkValue(def, path, parts[0], nested, dynamicMode);
      } else walkValue(def, path, rawKey, v, dynamicMode);
    }
  };

  walkObject(mapping.root, '', source, mapping.dynamic === 'strict_allow_templates' ? 'true' : mapping.dynamic);
  return { fields: [...byPath.values()], dynamicUpdates: updates };
}

/** Applies a parsed document's dynamic additions to the mapping; returns whether anything changed. */
export function applyDynamicUpdates(mapping: Mapping, updates: ParsedDocument['dynamicUpdates']): boolean {
  if (updates.length === 0) return false;
  let changed = false;
  for (const u of updates) {
    const props = (u.parent.properties ??= {}) as Record<string, Def>;
    if (!props[u.key]) {
      props[u.key] = u.def;
      changed = true;
    }
  }
  if (changed) mapping.rebuild();
  return changed;
}
