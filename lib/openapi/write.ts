/** Writes the OpenAPI document beside the cloud assembly (`cdk.out/openapi.json`) at every synth; the local cloud serves it. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildOpenApiDocument } from './document';

export const OPENAPI_FILE = 'openapi.json';

export function writeOpenApiDocument(outdir: string): string {
  mkdirSync(outdir, { recursive: true });
  const file = path.join(outdir, OPENAPI_FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify(buildOpenApiDocument(), null, 2) + '\n');
  renameSync(`${file}.tmp`, file);
  return file;
}
