// Persistence: indices, mappings, settings, documents, versions, routing and deletes survive close + reopen of
// the server on the same data directory (including a torn last log line, as after a crash mid-write).
import fs from 'node:fs';
import path from 'node:path';
import { Harness, failure, startServer, stopServer } from './helpers';

let h: Harness | undefined;
afterAll(async () => {
  await stopServer(h, true);
});

test('everything survives close and reopen', async () => {
  h = await startServer();
  const { dataDir } = h;
  await h.client.indices.create({
    index: 'shop',
    body: { settings: { number_of_shards: 2, number_of_replicas: 0, max_result_window: 500 }, mappings: { properties: { title: { type: 'text' }, price: { type: 'double' } } } },
  });
  await h.client.bulk({
    refresh: true,
    body: Array.from({ length: 30 }, (_, i) => [{ index: { _index: 'shop', _id: `s${i}` } }, { title: `item number ${i}`, price: i, extra: 'dyn' }]).flat(),
  });
  await h.client.index({ index: 'shop', id: 'routed', routing: 'r1', body: { title: 'routed item', price: 100 } });
  await h.client.index({ index: 'shop', id: 'ext', version: 42, version_type: 'external', body: { title: 'external', price: 1 } });
  await h.client.delete({ index: 'shop', id: 's3' });
  await h.client.transport.request({ method: 'PUT', path: '/shop/_doc/pretty', body: '{\n  "title": "pretty printed",\n  "price": 2\n}' });
  await h.client.update({ index: 'shop', id: 's4', body: { doc: { price: 444 } } });
  const lastSeq = (await h.client.get({ index: 'shop', id: 's4' })).body._seq_no as number;
  await stopServer(h);
  h = undefined;

  // A torn write at the end of the log must be ignored on load.
  fs.appendFileSync(path.join(dataDir, 'shop', 'docs.log'), '{"o":"i","id":"torn","src":{"ti');

  h = await startServer(dataDir);
  const c = h.client;
  const mapping = await c.indices.getMapping({ index: 'shop' });
  expect(mapping.body.shop.mappings.properties.extra).toEqual({ type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } });
  expect((await c.indices.getSettings({ index: 'shop' })).body.shop.settings.index.max_result_window).toBe('500');
  expect((await c.count({ index: 'shop' })).body.count).toBe(32);
  expect((await c.get({ index: 'shop', id: 'pretty' })).body._source).toEqual({ title: 'pretty printed', price: 2 });
  expect((await c.get({ index: 'shop', id: 's4' })).body).toMatchObject({ _version: 2, _source: { price: 444 } });
  expect((await c.get({ index: 'shop', id: 'routed', routing: 'r1' })).body._routing).toBe('r1');
  expect((await c.get({ index: 'shop', id: 'ext' })).body._version).toBe(42);
  const older = await failure(c.index({ index: 'shop', id: 'ext', version: 41, version_type: 'external', body: {} }));
  expect(older.statusCode).toBe(409);
  expect((await c.exists({ index: 'shop', id: 's3' })).body).toBe(false);
  expect((await c.exists({ index: 'shop', id: 'torn' })).body).toBe(false);
  const hits = await c.search({ index: 'shop', body: { query: { match: { title: 'number 7' } } } });
  expect(hits.body.hits.hits[0]._id).toBe('s7');
  const next = await c.index({ index: 'shop', id: 's4', body: { title: 'again', price: 5 } });
  expect(next.body._version).toBe(3);
  expect(next.body._seq_no).toBeGreaterThan(lastSeq);
  const tooBig = await failure(c.search({ index: 'shop', body: { size: 501 } }));
  expect(tooBig.statusCode).toBe(400);
  await c.indices.delete({ index: 'shop' });
  await stopServer(h);
  h = await startServer(dataDir);
  expect((await h.client.indices.exists({ index: 'shop' })).body).toBe(false);
});
