/**
 * A small XML writer for the query protocol's answers (SNS, and SQS's older protocol). Values
 * are escaped as AWS escapes them: the five predefined entities, and carriage returns as `&#xD;`
 * so that they survive XML end-of-line normalisation.
 */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"'\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#xD;' })[c]!);
}

/** One element; `children` are already-serialised strings, a plain value is escaped. */
export function el(name: string, value: string | number | boolean | undefined | null | string[]): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return `<${name}>${value.join('')}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** The envelope of a successful query-protocol answer. */
export function queryResponse(action: string, xmlns: string, result: string | undefined, requestId: string): string {
  const body = result === undefined ? '' : `<${action}Result>${result}</${action}Result>`;
  return `<?xml version="1.0"?>\n<${action}Response xmlns="${xmlns}">${body}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>\n`;
}

/** The query protocol's error envelope. */
export function queryError(xmlns: string, type: 'Sender' | 'Receiver', code: string, message: string, requestId: string): string {
  return `<?xml version="1.0"?>\n<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>\n`;
}

/** Marks a string map to be written as the query protocol writes maps: `<entry><key/><value/></entry>`. */
export class XmlMap {
  constructor(readonly entries: Record<string, string>) {}
}

/**
 * A value as the query protocol's XML (non-flattened, as SNS writes it): arrays as `<member>`
 * elements, `XmlMap`s as entries, objects as nested elements, scalars escaped; undefined skipped.
 */
export function toXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof XmlMap)
    return Object.entries(value.entries)
      .map(([k, v]) => `<entry><key>${escapeXml(k)}</key><value>${escapeXml(v)}</value></entry>`)
      .join('');
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  }
  return escapeXml(String(value));
}
