// The write-ahead log of running executions (segments, checkpoints, clean-up) and the archive of ended ones.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JournalLine } from '../../../../local/stepfunctions/runtime/history';
import { Archive } from '../../../../local/stepfunctions/store/archive';
import { Flusher } from '../../../../local/stepfunctions/store/flusher';
import { WriteAheadLog } from '../../../../local/stepfunctions/store/wal';

const ev = (id: number, th = ''): JournalLine => ({ id, previousEventId: id - 1, timestamp: 1, type: 'PassStateEntered', _th: th, stateEnteredEventDetails: { name: `s${id}`, input: '{}' } });

describe('storage', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfn-store-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const segments = () => fs.readdirSync(path.join(dir, 'wal')).sort();

  test('segments roll; a long-running execution is checkpointed forward; free segments are deleted; load rebuilds the lines', () => {
    const flusher = new Flusher();
    const wal = new WriteAheadLog(dir, flusher, 300);
    wal.append('long', ev(1));
    for (let i = 1; i <= 12; i++) {
      wal.append(`short-${i}`, ev(1));
      wal.append(`short-${i}`, ev(2));
      flusher.flushAll();
      wal.release(`short-${i}`);
    }
    wal.append('long', ev(2));
    flusher.flushAll();
    // the long execution's first line was checkpointed: only the last two segments remain
    expect(segments().length).toBeLessThanOrEqual(2);
    wal.close();
    const again = new WriteAheadLog(dir, new Flusher(), 300);
    const found = again.load();
    expect(found.get('long')).toEqual([ev(1), ev(2)]);
    again.close();
  });

  test('a torn last line (kill -9 mid-write) is ignored on load', () => {
    const flusher = new Flusher();
    const wal = new WriteAheadLog(dir, flusher);
    wal.append('a', ev(1));
    wal.append('a', ev(2));
    wal.close();
    const seg = path.join(dir, 'wal', segments()[0]);
    fs.appendFileSync(seg, '{"x":"a","l":{"id":3,"prev');
    expect(new WriteAheadLog(dir, new Flusher()).load().get('a')).toEqual([ev(1), ev(2)]);
  });

  test('the archive reads a history back by its reference and deletes a segment once nothing references it', () => {
    const flusher = new Flusher();
    const archive = new Archive(dir, flusher, 1); // one history per segment
    const r1 = archive.add([ev(1), ev(2)]);
    const r2 = archive.add([ev(1), ev(2), ev(3)]);
    const r3 = archive.add([ev(9)]);
    flusher.flushAll();
    expect(archive.read(r2)).toEqual([ev(1), ev(2), ev(3)]);
    expect(archive.read(r3)).toEqual([ev(9)]);
    expect([r1[0], r2[0], r3[0]]).toEqual([1, 2, 3]);
    const file = (n: number) => path.join(dir, 'archive', `${String(n).padStart(10, '0')}.log`);
    expect(fs.existsSync(file(1))).toBe(true);
    archive.drop(r1);
    expect(fs.existsSync(file(1))).toBe(false);
    archive.drop(r2);
    expect(fs.readdirSync(path.join(dir, 'archive'))).toEqual([`${String(r3[0]).padStart(10, '0')}.log`]);
    archive.close();
  });
});
