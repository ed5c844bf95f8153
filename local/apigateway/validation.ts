// Request validation as an API Gateway request validator does it: required request parameters
// (method.request.{querystring|header|path|multivaluequerystring|multivalueheader}.NAME) and the JSON body against
// the method's model (JSON Schema draft-04). Schema checking uses ajv 6, which still supports draft-04.
import Ajv from 'ajv';
import draft04 from 'ajv/lib/refs/json-schema-draft-04.json';
import { InvalidBody, MissingParameters } from './responses';
import type { MethodSpec } from './types';

type Location = 'querystring' | 'header' | 'path';

interface RequiredParam {
  location: Location;
  /** Name as declared (reported in the error message). */
  name: string;
  /** Lower-cased for headers. */
  lookup: string;
}

export interface RequestView {
  /** Query parameters (last value wins), or null when there is no query string. */
  query: Record<string, string> | null;
  /** Lower-cased request headers as node parses them. */
  headers: NodeJS.Dict<string | string[]>;
  pathParams: Record<string, string> | null;
  contentType: string | undefined;
  body: Buffer | null;
}

export type Validator = (req: RequestView) => void;

let ajv: Ajv.Ajv | null = null;
function getAjv(): Ajv.Ajv {
  if (!ajv) {
    ajv = new Ajv({ schemaId: 'auto', unknownFormats: 'ignore', allErrors: false, jsonPointers: true });
    ajv.addMetaSchema(draft04);
  }
  return ajv;
}

/** Compiles the validator of a method, or null when the method validates nothing. */
export function compileValidator(method: MethodSpec, log: (m: string) => void): Validator | null {
  const v = method.requestValidator;
  if (!v || (!v.validateRequestBody && !v.validateRequestParameters)) return null;
  const required: RequiredParam[] = [];
  if (v.validateRequestParameters && method.requestParameters) {
    for (const [expr, isRequired] of Object.entries(method.requestParameters)) {
      if (!isRequired) continue;
      const m = /^method\.request\.(querystring|header|path|multivaluequerystring|multivalueheader)\.(.+)$/.exec(expr);
      if (!m) continue;
      const location = (m[1] === 'multivaluequerystring' ? 'querystring' : m[1] === 'multivalueheader' ? 'header' : m[1]) as Location;
      required.push({ location, name: m[2], lookup: location === 'header' ? m[2].toLowerCase() : m[2] });
    }
  }
  let schema: Ajv.ValidateFunction | null = null;
  if (v.validateRequestBody && method.requestModel) {
    try {
      schema = getAjv().compile(method.requestModel);
    } catch (err) {
      log(`apigateway: request model of ${method.httpMethod} cannot be compiled, body not validated: ${String(err)}`);
    }
  }
  if (!required.length && !schema) return null;
  return (req) => {
    if (required.length) {
      const missing: string[] = [];
      for (const p of required) {
        let present: boolean;
        if (p.location === 'querystring') present = req.query !== null && req.query[p.lookup] !== undefined;
        else if (p.location === 'header') present = req.headers[p.lookup] !== undefined;
        else present = req.pathParams !== null && req.pathParams[p.lookup] !== undefined && req.pathParams[p.lookup] !== '';
        if (!present) missing.push(p.name);
      }
      if (missing.length) throw new MissingParameters(missing);
    }
    if (schema && isJson(req.contentType)) {
      let doc: unknown;
      const text = req.body && req.body.length ? req.body.toString('utf8') : '{}';
      try {
        doc = JSON.parse(text);
      } catch {
        throw new InvalidBody();
      }
      if (!schema(doc)) throw new InvalidBody();
    }
  };
}

/** Models are selected by content type; without one API Gateway uses application/json. */
function isJson(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const base = contentType.split(';', 1)[0].trim().toLowerCase();
  return base === 'application/json';
}
