// The alternative text backend (MiniSearch scoring underneath, kept for the benchmark comparison) answers the same
// full-text queries: fuzzy matches, operators, deletes and updates after refresh.
import { Harness, startServer, stopServer } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startServer(undefined, undefined, 'minisearch');
  await h.client.bulk({
    refresh: true,
    body: [
      { index: { _index: 'ms', _id: '1' } },
      { name: 'Wireless Noise Cancelling Headphones' },
      { index: { _index: 'ms', _id: '2' } },
      { name: 'Wired Headphones' },
      { index: { _index: 'ms', _id: '3' } },
      { name: 'Coffee Grinder' },
    ],
  });
});
afterAll(async () => {
  await stopServer(h, true);
});

test('fuzzy match and operator through the MiniSearch backend', async () => {
  const fuzzy = await h.client.search({ index: 'ms', body: { query: { match: { name: { query: 'headphnes', fuzziness: 'AUTO' } } } } });
  expect(fuzzy.body.hits.hits.map((x: { _id: string }) => x._id).sort()).toEqual(['1', '2']);
  const and = await h.client.search({ index: 'ms', body: { query: { match: { name: { query: 'wireless headphones', operator: 'and' } } } } });
  expect(and.body.hits.hits.map((x: { _id: string }) => x._id)).toEqual(['1']);
});

test('deleted and replaced documents disappear from MiniSearch results after refresh', async () => {
  await h.client.delete({ index: 'ms', id: '2', refresh: true });
  await h.client.index({ index: 'ms', id: '1', body: { name: 'Espresso Machine' }, refresh: true });
  const r = await h.client.search({ index: 'ms', body: { query: { match: { name: 'headphones' } } } });
  expect(r.body.hits.total.value).toBe(0);
  const e = await h.client.search({ index: 'ms', body: { query: { match: { name: 'espresso' } } } });
  expect(e.body.hits.hits.map((x: { _id: string }) => x._id)).toEqual(['1']);
});
