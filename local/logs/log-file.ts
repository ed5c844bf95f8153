/**
 * One log file of `<data>/logs/` read as CloudWatch Logs events, without a second copy: lines
 * are indexed as the file grows (chunks of up to 256 lines: byte offset, first and last timestamp,
 * the timestamp carried into it), and read again from disk when asked for.
 *
 * A line's timestamp is the ISO-8601 time it begins with (the runtime's `time\trequest\tLEVEL\t`
 * prefix, the services' `time message`), else its JSON's `timestamp` (Powertools) or
 * `event_timestamp` (Step Functions, epoch ms), else the timestamp of the line before it (Lambda's
 * START / END / REPORT lines), else the file's modification time. An event's id is its byte offset.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';

export interface LogEvent {
  offset: number;
  timestamp: number;
  message: string;
}

interface Chunk {
  offset: number;
  end: number;
  first: number;
  last: number;
  /** timestamp in force before the chunk's first line */
  carry: number | undefined;
}

const ISO_START = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)/;
const JSON_TS = /"(?:timestamp|event_timestamp)"\s*:\s*"?([^",}]+)"?/;
const CHUNK_LINES = 256;

export function lineTimestamp(line: string): number | undefined {
  const iso = ISO_START.exec(line);
  if (iso) return Date.parse(iso[1]!);
  const brace = line.indexOf('{');
  if (brace < 0) return undefined;
  const m = JSON_TS.exec(line.slice(brace));
  if (!m) return undefined;
  const raw = m[1]!.trim();
  const t = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  return Number.isFinite(t) ? t : undefined;
}

export const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);

export class LogFile {
  private chunks: Chunk[] = [];
  private indexedTo = 0;
  private lastTs: number | undefined;
  /** per UTC day: first and last event time and bytes */
  readonly days = new Map<string, { first: number; last: number; bytes: number }>();
  created: number | undefined;

  constructor(readonly path: string) {}

  /** Indexes what was appended since the last call. */
  refresh(): void {
    let size: number;
    let mtime: number;
    try {
      const st = statSync(this.path);
      size = st.size;
      mtime = st.mtimeMs;
      this.created ??= st.birthtimeMs || st.mtimeMs;
    } catch {
      return;
    }
    if (size < this.indexedTo) this.reset();
    if (size === this.indexedTo) return;
    const fd = openSync(this.path, 'r');
    try {
      let pos = this.indexedTo;
      let rest = Buffer.alloc(0);
      const buf = Buffer.allocUnsafe(1 << 20);
      let chunk = this.chunks[this.chunks.length - 1];
      let lines = 0;
      while (pos + rest.length < size) {
        const n = readSync(fd, buf, 0, buf.length, pos + rest.length);
        if (n <= 0) break;
        const data = rest.length ? Buffer.concat([rest, buf.subarray(0, n)]) : buf.subarray(0, n);
        let start = 0;
        for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
          const line = data.toString('utf8', start, nl);
          const lineOffset = pos + start;
          const ts = lineTimestamp(line) ?? this.lastTs ?? mtime;
          if (!chunk || chunk.end !== lineOffset || lines >= CHUNK_LINES) {
            chunk = { offset: lineOffset, end: lineOffset, first: ts, last: ts, carry: this.lastTs };
            this.chunks.push(chunk);
            lines = 0;
          }
          chunk.end = pos + nl + 1;
          chunk.last = Math.max(chunk.last, ts);
          chunk.first = Math.min(chunk.first, ts);
          lines++;
          this.lastTs = ts;
          const day = dayOf(ts);
          const d = this.days.get(day);
          if (d) {
            d.last = Math.max(d.last, ts);
            d.bytes += nl - start + 1;
          } else this.days.set(day, { first: ts, last: ts, bytes: nl - start + 1 });
          start = nl + 1;
        }
        const consumed = start;
        pos += consumed;
        rest = Buffer.from(data.subarray(consumed));
        if (rest.length === data.length && n < buf.length) break; // a partial last line: wait for its newline
      }
      this.indexedTo = pos;
    } finally {
      closeSync(fd);
    }
  }

  /** Events with timestamp in [from, to), from byte offset `after` (exclusive) on, in file order. */
  *events(from = -Infinity, to = Infinity, after = -1): Generator<LogEvent> {
    const fd = openSync(this.path, 'r');
    try {
      if (fstatSync(fd).size < this.indexedTo) return;
      for (const c of this.chunks) {
        if (c.end <= after + 1 || c.last < from || c.first >= to) continue;
        const buf = Buffer.allocUnsafe(c.end - c.offset);
        readSync(fd, buf, 0, buf.length, c.offset);
        let carry = c.carry;
        let start = 0;
        for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
          const line = buf.toString('utf8', start, nl);
          const offset = c.offset + start;
          start = nl + 1;
          const ts = lineTimestamp(line) ?? carry ?? c.first;
          carry = ts;
          if (offset <= after || ts < from || ts >= to) continue;
          yield { offset, timestamp: ts, message: line };
        }
      }
    } finally {
      closeSync(fd);
    }
  }

  get storedBytes(): number {
    return this.indexedTo;
  }

  private reset(): void {
    this.chunks = [];
    this.indexedTo = 0;
    this.lastTs = undefined;
    this.days.clear();
  }
}
