// Parsing request bodies: JSON.parse with errors shaped like OpenSearch's Jackson json_parse_exception.
import { JsonParseError } from '../errors';

/** Line and column (1-based) of a character offset in a text. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, col: offset - last };
}

/** Parses one JSON document; throws JsonParseError (400) with Jackson-like wording and location. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    let offset = m ? Number(m[1]) : -1;
    if (offset < 0) {
      const tok = /Unexpected token '(.)'/.exec(msg);
      offset = tok ? text.indexOf(tok[1]) : text.length;
    }
    const { line, col } = lineCol(text, offset);
    const ch = text[offset];
    const what =
      ch === undefined
        ? 'Unexpected end-of-input'
        : `Unexpected character ('${ch}' (code ${ch.charCodeAt(0)}))`;
    throw new JsonParseError(`${what}: ${msg}\n at [Source: (byte[])"${text.slice(0, 200)}"; line: ${line}, column: ${col}]`);
  }
}

/** Parses a JSON object body; anything else (array, scalar) is rejected like OpenSearch does. */
export function parseJsonObject(text: string, what = 'request body'): Record<string, unknown> {
  const v = parseJson(text);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new JsonParseError(`Failed to parse ${what}: expected START_OBJECT but found [${Array.isArray(v) ? 'START_ARRAY' : 'VALUE'}]`);
  }
  return v as Record<string, unknown>;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
