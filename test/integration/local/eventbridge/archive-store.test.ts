/**
 * The archive files under the data folder: appends made while a write is under way are written
 * together, in their order, and a purge between appends keeps what came after it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store } from '../../../../local/eventbridge/store';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eb-archive-store-'));
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

const event = (i: number) => ({ ingestMs: 1_000 + i, json: JSON.stringify({ id: `e${i}`, detail: { n: i } }) });

async function archived(store: Store, name: string): Promise<number[]> {
  const seen: number[] = [];
  await store.readArchive(name, (_t, json) => {
    seen.push((JSON.parse(json) as { detail: { n: number } }).detail.n);
    return true;
  });
  return seen;
}

test('200 appends made at once are all written, in order, in a few writes instead of one each', async () => {
  const store = new Store(dir);
  const appendFile = jest.spyOn(fs.promises, 'appendFile');
  await Promise.all(Array.from({ length: 200 }, (_, i) => store.appendArchive('orders', [event(i)])));
  expect(await archived(store, 'orders')).toEqual(Array.from({ length: 200 }, (_, i) => i));
  // the first append's write, then everything that arrived while it was under way
  expect(appendFile.mock.calls.length).toBeLessThanOrEqual(2);
});

test('an append resolves only once its line is in the file', async () => {
  const store = new Store(dir);
  const file = path.join(dir, 'archives', 'orders.jsonl');
  const first = store.appendArchive('orders', [event(1)]);
  const second = store.appendArchive('orders', [event(2)]);
  await second;
  expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
  await first;
});

test('appends keep their order across batches, and a purge drops only what is older than its cutoff', async () => {
  const store = new Store(dir);
  const waits: Promise<unknown>[] = [];
  for (let i = 0; i < 10; i++) waits.push(store.appendArchive('orders', [event(i)]));
  waits.push(store.purgeArchive('orders', 1_005)); // drops 0..4
  for (let i = 10; i < 20; i++) waits.push(store.appendArchive('orders', [event(i)]));
  await Promise.all(waits);
  expect(await archived(store, 'orders')).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
});

test('a failed write rejects the appends of its batch, and the next append is written', async () => {
  const store = new Store(dir);
  const real = fs.promises.appendFile.bind(fs.promises);
  jest.spyOn(fs.promises, 'appendFile').mockImplementationOnce(() => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })));
  const failed = [store.appendArchive('orders', [event(1)]), store.appendArchive('orders', [event(2)])];
  await expect(failed[0]).rejects.toThrow('ENOSPC');
  await expect(failed[1]).rejects.toThrow('ENOSPC');
  jest.spyOn(fs.promises, 'appendFile').mockImplementation(real);
  await store.appendArchive('orders', [event(3)]);
  expect(await archived(store, 'orders')).toEqual([3]);
});
