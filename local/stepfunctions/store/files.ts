/** Small file helpers: atomic replace (temp file + rename) and tolerant JSON-lines reading. */
import fs from 'node:fs';
import path from 'node:path';

export function writeAtomic(file: string, data: string): void {
  const tmp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** Parses a JSON-lines file; a torn last line (a crash mid-write) is ignored. */
export function readJsonLines<T>(file: string): T[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: T[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // torn write at the end of the file: everything before it is intact
    }
  }
  return out;
}

export function ensureDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
}

export function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // already gone
  }
}

export const join = path.join;
