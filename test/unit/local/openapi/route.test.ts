/**
 * The edge's OpenAPI route on its own (an edge on an ephemeral port, a temp assembly folder): it
 * serves the synthesized file with the API's address first, reads it again when a synth rewrote
 * it, says what to do when there is none, and leaves other requests to the other services.
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEdge } from '../../../../local/edge';
import { createOpenApiRoute, OPENAPI_PATH } from '../../../../local/openapi';
import { buildOpenApiDocument } from '../../../../lib/openapi/document';
import { writeOpenApiDocument } from '../../../../lib/openapi/write';

const assemblyDir = mkdtempSync(path.join(os.tmpdir(), 'openapi-route-'));
let apiUrl: string | undefined;
let edge: Awaited<ReturnType<typeof startEdge>>;

beforeAll(async () => {
  edge = await startEdge({ port: 0, services: [{ name: 'openapi', route: createOpenApiRoute({ assemblyDir, apiUrl: () => apiUrl }).route }] });
});
afterAll(async () => {
  await edge.close();
  rmSync(assemblyDir, { recursive: true, force: true });
});

it('says how to get a document when no synth wrote one', async () => {
  const res = await fetch(`${edge.url}${OPENAPI_PATH}`);
  expect(res.status).toBe(404);
  expect(await res.json()).toEqual({ message: `no openapi.json in ${assemblyDir}: synthesize the app (npm run synth)` });
});

it('serves the file the synth wrote, with the API address first once the API listens, and a changed file at once', async () => {
  const file = writeOpenApiDocument(assemblyDir);
  const built = JSON.parse(JSON.stringify(buildOpenApiDocument())) as { servers: unknown[]; info: { title: string } };
  const before = await fetch(`${edge.url}${OPENAPI_PATH}?format=json`);
  expect(before.status).toBe(200);
  expect(before.headers.get('content-type')).toBe('application/json');
  expect(await before.json()).toEqual(built);

  apiUrl = 'http://127.0.0.1:4999';
  const after = (await (await fetch(`${edge.url}${OPENAPI_PATH}`)).json()) as typeof built;
  expect(after.servers).toEqual([{ url: 'http://127.0.0.1:4999', description: 'this local cloud' }, ...built.servers]);

  writeFileSync(file, JSON.stringify({ ...built, info: { ...built.info, title: 'rewritten' } }));
  utimesSync(file, new Date(), new Date(Date.now() + 5_000)); // a later mtime, as a new synth gives
  const rewritten = (await (await fetch(`${edge.url}${OPENAPI_PATH}`)).json()) as typeof built;
  expect(rewritten.info.title).toBe('rewritten');
});

it('answers HEAD without a body, and leaves other paths and methods to the other services', async () => {
  const head = await fetch(`${edge.url}${OPENAPI_PATH}`, { method: 'HEAD' });
  expect(head.status).toBe(200);
  expect(await head.text()).toBe('');
  expect((await fetch(`${edge.url}${OPENAPI_PATH}`, { method: 'POST', body: '{}' })).status).toBe(400);
  const other = await fetch(`${edge.url}/_local/openapi.yaml`);
  expect(other.status).toBe(400);
  expect(((await other.json()) as { __type: string }).__type).toBe('UnknownOperationException');
});
