/**
 * Checks exchanges with the running API against the OpenAPI document: finds the operation a
 * request hits (literal path segments before parameters, as API Gateway matches), validates its
 * path and query parameters and JSON body against the operation's schemas and the answer's body
 * against the schema of its status, with ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1).
 */
import Ajv2020, { type ValidateFunction } from 'ajv2020/dist/2020';
import addFormats from 'ajv-formats';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Exchange {
  method: string;
  /** path and query, as sent */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  status: number;
  contentType: string | null;
  response: unknown;
}

export interface Checked {
  operationId: string;
  status: number;
  /** the problems found; empty when the exchange is what the document says */
  problems: string[];
}

export class Contract {
  private readonly ajv: Ajv2020;
  /** parameters arrive as strings: they are coerced to the schema's type before they are checked, as the handlers' zod schemas do */
  private readonly params: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: Array<{ path: string; pattern: RegExp; names: string[]; literal: number }>;

  constructor(readonly doc: Json) {
    // not strict: each schema is compiled beside the document's components, which are not a JSON Schema keyword
    this.ajv = new Ajv2020({ allErrors: true, strict: false });
    this.params = new Ajv2020({ allErrors: true, strict: false, coerceTypes: true, useDefaults: true });
    addFormats(this.ajv);
    addFormats(this.params);
    this.templates = Object.keys(doc.paths as Json)
      .map((p) => {
        const names: string[] = [];
        const source = p.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'));
        return { path: p, pattern: new RegExp(`^${source}$`), names, literal: p.split('/').filter((s) => !s.startsWith('{')).length };
      })
      .sort((a, b) => b.literal - a.literal);
  }

  /** Every operation of the document, as `METHOD path`. */
  operations(): string[] {
    return Object.entries(this.doc.paths as Json).flatMap(([p, ops]) => Object.keys(ops as Json).map((m) => `${m.toUpperCase()} ${p}`));
  }

  /** The operation `METHOD url` hits, with its path parameters. */
  match(method: string, url: string): { key: string; op: Json; pathParams: Record<string, string> } | undefined {
    const { pathname } = new URL(url, 'http://api');
    for (const t of this.templates) {
      const m = t.pattern.exec(pathname);
      const op = (this.doc.paths as Json)[t.path][method.toLowerCase()] as Json | undefined;
      if (!m || !op) continue;
      return { key: `${method.toUpperCase()} ${t.path}`, op, pathParams: Object.fromEntries(t.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
    }
    return undefined;
  }

  check(x: Exchange): Checked & { key: string } {
    const hit = this.match(x.method, x.url);
    if (!hit) return { key: `${x.method} ${x.url}`, operationId: '?', status: x.status, problems: [`no operation in the document for ${x.method} ${x.url}`] };
    const { op, pathParams, key } = hit;
    const problems: string[] = [];
    const query = Object.fromEntries(new URL(x.url, 'http://api').searchParams);
    const headers = Object.fromEntries(Object.entries(x.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));

    for (const p of (op.parameters ?? []) as Json[]) {
      const value = p.in === 'path' ? pathParams[p.name] : p.in === 'query' ? query[p.name] : headers[String(p.name).toLowerCase()];
      if (value === undefined) {
        if (p.required) problems.push(`request: the required ${p.in} parameter ${p.name} is missing`);
        continue;
      }
      const holder = { v: value };
      if (!this.validator(`param ${key} ${p.in} ${p.name}`, { type: 'object', properties: { v: p.schema } }, this.params)(holder)) {
        problems.push(`request: ${p.in} parameter ${p.name}=${value}: ${this.errors(`param ${key} ${p.in} ${p.name}`)}`);
      }
    }
    for (const name of Object.keys(query)) {
      if (!((op.parameters ?? []) as Json[]).some((p) => p.in === 'query' && p.name === name)) problems.push(`request: query parameter ${name} is not in the document`);
    }
    const requestSchema = op.requestBody?.content?.['application/json']?.schema as Json | undefined;
    if (x.body !== undefined) {
      if (!requestSchema) problems.push('request: a body, but the operation takes none');
      else if (!this.validator(`request ${key}`, requestSchema)(x.body)) problems.push(`request body: ${this.errors(`request ${key}`)}`);
    } else if (op.requestBody?.required) problems.push('request: the required body is missing');

    let response = (op.responses as Json)[String(x.status)] as Json | undefined;
    if (!response) {
      problems.push(`response: status ${x.status} is not documented (documented: ${Object.keys(op.responses as Json).join(', ')})`);
      return { key, operationId: op.operationId, status: x.status, problems };
    }
    if (typeof response.$ref === 'string') response = this.resolve(response.$ref);
    const responseSchema = response.content?.['application/json']?.schema as Json | undefined;
    if (!responseSchema) problems.push(`response: status ${x.status} has no JSON schema`);
    else {
      if (!x.contentType?.startsWith('application/json')) problems.push(`response: content-type ${x.contentType}, not application/json`);
      if (!this.validator(`response ${key} ${x.status}`, responseSchema)(x.response)) {
        problems.push(`response ${x.status} body: ${this.errors(`response ${key} ${x.status}`)}: ${JSON.stringify(x.response).slice(0, 300)}`);
      }
    }
    return { key, operationId: op.operationId, status: x.status, problems };
  }

  private resolve(ref: string): Json {
    return ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((at: Json, part) => at[part.replace(/~1/g, '/').replace(/~0/g, '~')], this.doc);
  }

  private validator(id: string, schema: Json, ajv = this.ajv): ValidateFunction {
    let v = this.compiled.get(id);
    if (!v) {
      v = ajv.compile({ ...schema, components: this.doc.components });
      this.compiled.set(id, v);
    }
    return v;
  }

  private errors(id: string): string {
    return (this.compiled.get(id)?.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
  }
}
