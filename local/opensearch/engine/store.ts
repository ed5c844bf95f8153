// Persistence of one index under <dataDir>/<index>/: meta.json (uuid, settings, mappings) and docs.log, an
// append-only log of index/delete operations (one JSON line each). On open the log is replayed and rewritten
// compacted (live documents only); close compacts again. A torn last line (crash mid-write) is ignored.
import fs from 'node:fs';
import path from 'node:path';

export interface IndexMeta {
  name: string;
  uuid: string;
  creationDate: number;
  settings: Record<string, unknown>;
  mappings: Record<string, unknown>;
}

export interface DocLogRecord {
  o: 'i' | 'd' | 'h';
  id?: string;
  sh?: number;
  r?: string;
  v?: number;
  s?: number;
  src?: Record<string, unknown>;
  seq?: number[];
}

export class IndexStore {
  private fd: number | null = null;
  private buffer: string[] = [];
  readonly dir: string;

  constructor(dataDir: string, name: string) {
    this.dir = path.join(dataDir, name);
  }

  static list(dataDir: string): string[] {
    if (!fs.existsSync(dataDir)) return [];
    return fs.readdirSync(dataDir).filter((d) => fs.existsSync(path.join(dataDir, d, 'meta.json')));
  }

  private get logPath(): string {
    return path.join(this.dir, 'docs.log');
  }

  writeMeta(meta: IndexMeta): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const tmp = path.join(this.dir, 'meta.json.tmp');
    fs.writeFileSync(tmp, JSON.stringify(meta));
    fs.renameSync(tmp, path.join(this.dir, 'meta.json'));
  }

  readMeta(): IndexMeta {
    return JSON.parse(fs.readFileSync(path.join(this.dir, 'meta.json'), 'utf8')) as IndexMeta;
  }

  /** Replays the log; each record is handed to `apply` in order. */
  replay(apply: (r: DocLogRecord) => void): void {
    if (!fs.existsSync(this.logPath)) return;
    const text = fs.readFileSync(this.logPath, 'utf8');
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const line = text.slice(start, end);
      start = end + 1;
      if (!line) continue;
      let rec: DocLogRecord;
      try {
        rec = JSON.parse(line) as DocLogRecord;
      } catch {
        continue; // torn write
      }
      apply(rec);
    }
  }

  append(rec: DocLogRecord): void {
    this.buffer.push(JSON.stringify(rec));
  }

  /** An index record whose source is already JSON text (the request's own bytes): not serialised again. */
  appendIndex(rec: DocLogRecord, sourceJson: string): void {
    const head = JSON.stringify(rec);
    // The log is line-based: pretty-printed bodies are re-serialised onto one line.
    const src = sourceJson.includes('\n') || sourceJson.includes('\r') ? JSON.stringify(JSON.parse(sourceJson)) : sourceJson;
    this.buffer.push(`${head.slice(0, -1)},"src":${src}}`);
  }

  /** Writes buffered records (called once per request, so a bulk is one write). */
  flush(): void {
    if (this.buffer.length === 0) return;
    if (this.fd === null) {
      fs.mkdirSync(this.dir, { recursive: true });
      this.fd = fs.openSync(this.logPath, 'a');
    }
    const chunk = this.buffer.join('\n') + '\n';
    this.buffer = [];
    fs.writeSync(this.fd, chunk);
  }

  /** Rewrites the log with just the given records (header with sequence numbers first). */
  compact(header: DocLogRecord, records: Iterable<DocLogRecord>): void {
    this.flush();
    this.closeFd();
    fs.mkdirSync(this.dir, { recursive: true });
    const tmp = this.logPath + '.tmp';
    const fd = fs.openSync(tmp, 'w');
    let parts: string[] = [JSON.stringify(header)];
    let size = 0;
    for (const r of records) {
      const s = JSON.stringify(r);
      parts.push(s);
      size += s.length;
      if (size > 4 << 20) {
        fs.writeSync(fd, parts.join('\n') + '\n');
        parts = [];
        size = 0;
      }
    }
    if (parts.length) fs.writeSync(fd, parts.join('\n') + '\n');
    fs.closeSync(fd);
    fs.renameSync(tmp, this.logPath);
  }

  private closeFd(): void {
    if (this.fd !== null) {
      fs.closeSync(this.fd);
      this.fd = null;
    }
  }

  close(): void {
    this.flush();
    this.closeFd();
  }

  destroy(): void {
    this.buffer = [];
    this.closeFd();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
