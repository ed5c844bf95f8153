/**
 * Header lookups. API Gateway hands the headers over as the client wrote them (`If-Match`,
 * `if-match`, `IF-MATCH` all arrive), and HTTP says their names are case-insensitive, so every
 * lookup goes through here.
 */
export type Headers = Record<string, string | undefined> | null | undefined;

/** The value of header `name`, whatever the case of its name; undefined when absent. */
export function headerValue(headers: Headers, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  const key = Object.keys(headers).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? undefined : (headers[key] ?? undefined);
}
