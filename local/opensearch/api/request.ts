// The request/response model shared by the REST handlers: path and query parameters, the raw body with lazy JSON
// parsing (json_parse_exception on malformed input), and typed parameter accessors.
import type { Cluster } from '../cluster';
import { IllegalArgumentError, OpenSearchError } from '../errors';
import { parseJson } from '../util/json';

export interface ApiResponse {
  status: number;
  body?: unknown;
  /** Pre-rendered body (text/plain, e.g. _cat APIs without format=json). */
  text?: string;
}

export class ApiRequest {
  private parsed: unknown;
  private parsedDone = false;

  constructor(
    readonly cluster: Cluster,
    readonly method: string,
    readonly path: string,
    readonly params: Record<string, string>,
    readonly query: Record<string, string | undefined>,
    readonly rawBody: string,
  ) {}

  get hasBody(): boolean {
    return this.rawBody.trim().length > 0;
  }

  /** The parsed JSON body (undefined when empty). */
  json(): unknown {
    if (!this.parsedDone) {
      this.parsed = this.hasBody ? parseJson(this.rawBody) : undefined;
      this.parsedDone = true;
    }
    return this.parsed;
  }

  /** The body as a JSON object (undefined when empty); other JSON values are a parse error. */
  jsonObject(): Record<string, unknown> | undefined {
    const v = this.json();
    if (v === undefined) return undefined;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      throw new OpenSearchError('parse_exception', 'request body or source parameter is required', 400);
    }
    return v as Record<string, unknown>;
  }

  bool(name: string, def = false): boolean {
    const v = this.query[name];
    if (v === undefined) return def;
    if (v === '' || v === 'true') return true;
    if (v === 'false') return false;
    throw new IllegalArgumentError(`Failed to parse value [${v}] as only [true] or [false] are allowed.`);
  }

  int(name: string): number | undefined {
    const v = this.query[name];
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw new IllegalArgumentError(`Failed to parse int parameter [${name}] with value [${v}]`);
    return n;
  }

  /** refresh=true|''|wait_for|false */
  refreshMode(): 'true' | 'wait_for' | 'false' {
    const v = this.query.refresh;
    if (v === undefined || v === 'false') return 'false';
    if (v === '' || v === 'true') return 'true';
    if (v === 'wait_for') return 'wait_for';
    throw new IllegalArgumentError(`Unknown value for refresh: [${v}].`);
  }
}

export function ok(body: unknown, status = 200): ApiResponse {
  return { status, body };
}
