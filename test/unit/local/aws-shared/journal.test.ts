// The append-only journal: replay in order, torn tails, compaction replacing the file atomically.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Journal } from '../../../../local/aws-shared/journal';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journal-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function replayAll(file: string): { recs: unknown[]; stats: ReturnType<Journal['replay']>; j: Journal } {
  const j = new Journal(file);
  const recs: unknown[] = [];
  const stats = j.replay((r) => recs.push(r));
  return { recs, stats, j };
}

test('records come back in order after flush', () => {
  const file = path.join(dir, 'j');
  const j = new Journal(file);
  j.append({ n: 1 });
  j.append({ n: 2 });
  j.flush();
  j.close();
  const { recs, stats, j: j2 } = replayAll(file);
  j2.close();
  expect(recs).toEqual([{ n: 1 }, { n: 2 }]);
  expect(stats).toEqual({ lines: 2, skipped: 0, tornTail: false });
});

test('a torn tail is cut; a complete last value without newline is kept and ended', () => {
  const file = path.join(dir, 'j');
  fs.writeFileSync(file, '{"n":1}\n{"n":2}\n{"n":');
  let r = replayAll(file);
  expect(r.recs).toEqual([{ n: 1 }, { n: 2 }]);
  expect(r.stats.tornTail).toBe(true);
  r.j.append({ n: 3 });
  r.j.close();
  expect(fs.readFileSync(file, 'utf8')).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');

  fs.writeFileSync(file, '{"n":1}\n{"n":2}');
  r = replayAll(file);
  expect(r.recs).toEqual([{ n: 1 }, { n: 2 }]);
  expect(r.stats.tornTail).toBe(false);
  r.j.append({ n: 3 });
  r.j.close();
  expect(fs.readFileSync(file, 'utf8')).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
});

test('a corrupt line in the middle is skipped and counted', () => {
  const file = path.join(dir, 'j');
  fs.writeFileSync(file, '{"n":1}\nnot json\n{"n":2}\n');
  const r = replayAll(file);
  r.j.close();
  expect(r.recs).toEqual([{ n: 1 }, { n: 2 }]);
  expect(r.stats.skipped).toBe(1);
});

test('compaction replaces the file with the snapshot and appends continue after it', () => {
  const file = path.join(dir, 'j');
  const j = new Journal(file, 10);
  for (let i = 0; i < 100; i++) j.append({ i });
  j.flush();
  expect(j.shouldCompact()).toBe(true);
  j.compact([{ snapshot: true }]);
  j.append({ after: 1 });
  j.close();
  expect(fs.readFileSync(file, 'utf8')).toBe('{"snapshot":true}\n{"after":1}\n');
  expect(fs.existsSync(`${file}.tmp`)).toBe(false);
});
