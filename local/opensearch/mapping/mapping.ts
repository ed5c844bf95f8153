// An index's mapping: the JSON definition (as GET _mapping shows it), validation of explicit mappings, merging of
// put-mapping requests and dynamic additions, and the flat table of leaf fields the engine indexes.
import { AnalysisRegistry, BUILTIN_ANALYZERS } from '../analysis/analyzers';
import { IllegalArgumentError, MapperParsingError, OpenSearchError } from '../errors';
import { DEFAULT_DATE_FORMAT } from '../util/dates';
import { isPlainObject } from '../util/json';
import { FieldInfo, OBJECT_PARAMS, TYPES, integralRange } from './types';

export type Def = Record<string, unknown> & { properties?: Record<string, Def>; fields?: Record<string, Def> };

const ROOT_PARAMS = ['properties', 'dynamic', '_source', '_routing', 'date_detection', 'numeric_detection', 'dynamic_templates', '_meta', 'dynamic_date_formats', '_field_names', 'enabled', 'derived', '_size'];

/** mapper_parsing_exception "Failed to parse mapping [_doc]: ..." whose root cause is the inner exception. */
export class MappingDefinitionError extends OpenSearchError {
  constructor(inner: OpenSearchError) {
    super('mapper_parsing_exception', `Failed to parse mapping [_doc]: ${inner.reason}`, 400, {}, inner);
  }
  override rootCauses(): Record<string, unknown>[] {
    return this.causedBy!.rootCauses();
  }
}

export function isObjectDef(d: Def): boolean {
  return d.type === 'object' || d.type === 'nested' || (d.type === undefined && (d.properties !== undefined || d.fields === undefined));
}

/** Mapping as OpenSearch prints it: "type" first, then parameters; properties and sub-fields sorted by name. */
function sortKeys(d: Def): Def {
  const out: Def = {};
  if (d.type !== undefined) out.type = d.type;
  for (const k of Object.keys(d)) {
    if (k === 'type') continue;
    const v = d[k];
    if ((k === 'properties' || k === 'fields') && isPlainObject(v)) {
      const inner: Record<string, Def> = {};
      for (const name of Object.keys(v).sort()) inner[name] = sortKeys(v[name] as Def);
      out[k] = inner;
    } else out[k] = v;
  }
  return out;
}

export class Mapping {
  root: Def;
  fields = new Map<string, FieldInfo>();
  objectPaths = new Set<string>();

  constructor(
    def: unknown,
    private readonly analysis: AnalysisRegistry,
  ) {
    this.root = { properties: {} };
    if (def !== undefined && def !== null) this.merge(def, true);
  }

  get dynamic(): string {
    return String(this.root.dynamic ?? 'true');
  }
  get routingRequired(): boolean {
    const r = this.root._routing;
    return isPlainObject(r) && (r.required === true || r.required === 'true');
  }
  get dateDetection(): boolean {
    return this.root.date_detection !== false && this.root.date_detection !== 'false';
  }
  get numericDetection(): boolean {
    return this.root.numeric_detection === true || this.root.numeric_detection === 'true';
  }
  get dynamicTemplates(): Record<string, Def>[] {
    return Array.isArray(this.root.dynamic_templates) ? (this.root.dynamic_templates as Record<string, Def>[]) : [];
  }

  toJSON(): Def {
    const out = sortKeys(this.root);
    if (out.properties && Object.keys(out.properties).length === 0) delete out.properties;
    return out;
  }

  /** Validates and merges a mapping definition (create index or put mapping). */
  merge(defU: unknown, creating = false): void {
    let def = defU;
    if (isPlainObject(def) && isPlainObject(def._doc) && Object.keys(def).length === 1) def = def._doc;
    if (!isPlainObject(def)) throw new MapperParsingError('Root mapping definition has unsupported parameters:  [' + String(def) + ']');
    try {
      const unknown = Object.keys(def).filter((k) => !ROOT_PARAMS.includes(k));
      if (unknown.length) {
        throw new MapperParsingError(`Root mapping definition has unsupported parameters:  ${unknown.map((k) => `[${k} : ${JSON.stringify(def[k])}]`).join(' ')}`);
      }
      const next: Def = structuredClone(this.root);
      for (const [k, v] of Object.entries(def)) {
        if (k === 'properties') {
          if (!isPlainObject(v)) throw new MapperParsingError(`Expected map for property [properties] on field [_doc] but got a class java.lang.String`);
          next.properties = this.mergeProperties((next.properties ?? {}) as Record<string, Def>, v as Record<string, Def>, '');
        } else if (k === 'dynamic') {
          if (!['true', 'false', 'strict', 'strict_allow_templates', 'runtime'].includes(String(v))) {
            throw new MapperParsingError(`Could not convert [dynamic] to boolean`);
          }
          next.dynamic = v === true || v === false ? String(v) : v;
        } else next[k] = v;
      }
      this.root = next;
      this.rebuild();
    } catch (e) {
      if (e instanceof OpenSearchError && e.type === 'mapper_parsing_exception' && creating) throw new MappingDefinitionError(e);
      throw e;
    }
  }

  private mergeProperties(existing: Record<string, Def>, incoming: Record<string, Def>, prefix: string): Record<string, Def> {
    const out = { ...existing };
    for (const [rawName, defU] of Object.entries(incoming)) {
      if (!isPlainObject(defU)) throw new MapperParsingError(`Expected map for property [fields] on field [${rawName}] but got a class java.lang.String`);
      // "a.b": {...} in properties means object a with child b.
      const parts = rawName.split('.');
      let def = defU as Def;
      for (let i = parts.length - 1; i > 0; i--) def = { properties: { [parts[i]]: def } };
      const name = parts[0];
      const path = prefix ? `${prefix}.${name}` : name;
      this.validate(def, path);
      const old = out[name];
      out[name] = old ? this.mergeField(old, def, path) : structuredClone(def);
    }
    return out;
  }

  private mergeField(old: Def, def: Def, path: string): Def {
    const oldObj = isObjectDef(old);
    const newObj = isObjectDef(def);
    const oldType = String(old.type ?? 'object');
    const newType = String(def.type ?? 'object');
    if (oldObj !== newObj || oldType !== newType) {
      throw new IllegalArgumentError(`mapper [${path}] cannot be changed from type [${oldType}] to [${newType}]`);
    }
    if (oldObj) {
      const merged: Def = { ...old, ...def };
      merged.properties = this.mergeProperties((old.properties ?? {}) as Record<string, Def>, (def.properties ?? {}) as Record<string, Def>, path);
      return merged;
    }
    for (const p of ['analyzer', 'index', 'doc_values', 'format', 'normalizer', 'scaling_factor']) {
      if (def[p] !== undefined && old[p] !== undefined && JSON.stringify(def[p]) !== JSON.stringify(old[p])) {
        throw new IllegalArgumentError(`Mapper for [${path}] conflicts with existing mapper:\n\tCannot update parameter [${p}] from [${String(old[p])}] to [${String(def[p])}]`);
      }
    }
    const merged: Def = { ...old, ...def };
    if (old.fields || def.fields) {
      const fields: Record<string, Def> = { ...((old.fields ?? {}) as Record<string, Def>) };
      for (const [sub, sd] of Object.entries((def.fields ?? {}) as Record<string, Def>)) fields[sub] = fields[sub] ? this.mergeField(fields[sub], sd, `${path}.${sub}`) : sd;
      merged.fields = fields;
    }
    return merged;
  }

  /** Validates one field definition (recursively), throwing OpenSearch's mapper_parsing_exception wording. */
  validate(def: Def, path: string): void {
    const name = path.split('.').pop()!;
    if (isObjectDef(def)) {
      for (const k of Object.keys(def)) {
        if (!OBJECT_PARAMS.includes(k)) throw new MapperParsingError(`unknown parameter [${k}] on mapper [${name}] of type [${String(def.type ?? 'object')}]`);
      }
      if (def.properties !== undefined && !isPlainObject(def.properties)) throw new MapperParsingError(`Expected map for property [properties] on field [${name}]`);
      for (const [child, cd] of Object.entries((def.properties ?? {}) as Record<string, unknown>)) {
        if (!isPlainObject(cd)) throw new MapperParsingError(`Expected map for property [fields] on field [${child}] but got a class java.lang.String`);
        this.validate(cd as Def, `${path}.${child}`);
      }
      return;
    }
    const type = String(def.type);
    const spec = TYPES[type];
    if (!spec) throw new MapperParsingError(`No handler for type [${type}] declared on field [${name}]`);
    if (spec.params) {
      for (const k of Object.keys(def)) {
        if (!spec.params.includes(k)) throw new MapperParsingError(`unknown parameter [${k}] on mapper [${name}] of type [${type}]`);
      }
    }
    for (const p of ['analyzer', 'search_analyzer', 'search_quote_analyzer']) {
      if (def[p] !== undefined && !this.analysis.analyzer(String(def[p]))) throw new MapperParsingError(`analyzer [${String(def[p])}] has not been configured in mappings`);
    }
    if (def.normalizer !== undefined && !this.analysis.normalizer(String(def.normalizer))) {
      throw new MapperParsingError(`normalizer [${String(def.normalizer)}] not found for field [${name}]`);
    }
    if (type === 'scaled_float' && def.scaling_factor === undefined) throw new MapperParsingError(`Field [scaling_factor] is required`);
    if (def.fields !== undefined) {
      if (!isPlainObject(def.fields)) throw new MapperParsingError(`Expected map for property [fields] on field [${name}]`);
      for (const [sub, sd] of Object.entries(def.fields)) {
        if (!isPlainObject(sd) || sd.type === undefined) throw new MapperParsingError(`No type specified for field [${sub}]`);
        this.validate(sd as Def, `${path}.${sub}`);
      }
    }
  }

  /** Rebuilds the flat field table from the definition. */
  rebuild(): void {
    this.fields.clear();
    this.objectPaths.clear();
    const walk = (props: Record<string, Def>, prefix: string) => {
      for (const [name, def] of Object.entries(props)) {
        const path = prefix ? `${prefix}.${name}` : name;
        if (isObjectDef(def)) {
          this.objectPaths.add(path);
          if (def.enabled !== false) walk((def.properties ?? {}) as Record<string, Def>, path);
          continue;
        }
        const info = this.fieldInfo(def, path);
        this.fields.set(path, info);
        for (const [sub, sd] of Object.entries((def.fields ?? {}) as Record<string, Def>)) {
          const si = this.fieldInfo(sd, `${path}.${sub}`);
          info.multiFields.push(si);
          this.fields.set(si.path, si);
        }
      }
    };
    walk((this.root.properties ?? {}) as Record<string, Def>, '');
  }

  private fieldInfo(def: Def, path: string): FieldInfo {
    const type = String(def.type);
    const spec = TYPES[type];
    const bool = (v: unknown, d: boolean) => (v === undefined ? d : v === true || v === 'true');
    const range = integralRange(type);
    const analyzer = def.analyzer ? this.analysis.analyzer(String(def.analyzer)) : BUILTIN_ANALYZERS.standard;
    return {
      path,
      type,
      kind: spec.kind,
      index: bool(def.index, true),
      docValues: bool(def.doc_values, spec.kind !== 'text'),
      analyzer,
      searchAnalyzer: def.search_analyzer ? this.analysis.analyzer(String(def.search_analyzer)) : analyzer,
      normalizer: def.normalizer ? this.analysis.normalizer(String(def.normalizer)) : undefined,
      ignoreAbove: def.ignore_above !== undefined ? Number(def.ignore_above) : undefined,
      format: spec.kind === 'date' ? String(def.format ?? DEFAULT_DATE_FORMAT) : undefined,
      coerce: bool(def.coerce, true),
      ignoreMalformed: bool(def.ignore_malformed, false),
      fielddata: bool(def.fielddata, false),
      integral: range !== undefined,
      float32: type === 'float' || type === 'half_float',
      scalingFactor: def.scaling_factor !== undefined ? Number(def.scaling_factor) : undefined,
      min: range?.[0],
      max: range?.[1],
      nullValue: def.null_value,
      multiFields: [],
      copyTo: def.copy_to === undefined ? [] : ([] as unknown[]).concat(def.copy_to).map(String),
    };
  }
}
