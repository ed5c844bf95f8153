/**
 * The traces: every segment document received, by trace, persisted in a capped append-only log
 * (`<data>/segments/<n>.log`, one document per line). An `in_progress` document is replaced by
 * the completed one with the same id (never the other way round). When the log passes its cap
 * the oldest file is deleted and the traces that began in it are forgotten, so memory follows the
 * disk cap. Documents are kept as text; a trace is parsed when it is read (and its summary cached
 * until another document of it arrives).
 */
import { CappedLog } from '../aws-shared/capped-log';
import { parseSegment, type SegmentDocument } from './segments';
import { summarize, type TraceFacts } from './summary';

interface StoredDoc {
  text: string;
  inProgress: boolean;
}

export interface StoredTrace {
  id: string;
  docs: Map<string, StoredDoc>;
  /** the log file its first document is in (the trace goes when that file is dropped) */
  firstFile: number;
  /** epoch seconds: earliest start, latest end seen */
  start: number;
  end: number;
  /** last time (ms) a document arrived */
  updatedAt: number;
  facts?: TraceFacts;
}

export interface TraceStoreOptions {
  dir: string;
  /** disk cap of the segment log (default 32 MiB) */
  maxBytes?: number;
  accountId: string;
  now?: () => number;
  /** each completed document as it arrives (the OTLP exporter) */
  onDocument?: (doc: SegmentDocument) => void;
}

export class TraceStore {
  private readonly traces = new Map<string, StoredTrace>();
  private readonly log: CappedLog;
  private readonly now: () => number;
  /** documents received since start (for figures) */
  received = 0;

  constructor(private readonly opts: TraceStoreOptions) {
    this.now = opts.now ?? Date.now;
    this.log = new CappedLog({ dir: opts.dir, maxBytes: opts.maxBytes ?? 32 * 1024 * 1024, onDrop: (no) => this.dropFile(no) });
    for (const { line, fileNo } of this.log.replay()) {
      try {
        this.index(parseSegment(line), line, fileNo);
      } catch {
        // a line that was valid when written always parses; anything else is skipped
      }
    }
  }

  /** Stores a checked document (its text as received, or made here). */
  put(doc: SegmentDocument, text = JSON.stringify(doc)): void {
    this.received++;
    const fileNo = this.log.append(text);
    if (this.index(doc, text, fileNo) && !doc.in_progress) this.opts.onDocument?.(doc);
  }

  /** Parses and stores a document sent as text (daemon, PutTraceSegments); throws InvalidSegmentError. */
  putText(text: string): SegmentDocument {
    const doc = parseSegment(text);
    this.put(doc, text);
    return doc;
  }

  get(traceId: string): StoredTrace | undefined {
    return this.traces.get(traceId);
  }

  /** Every trace (insertion order: roughly by first arrival). */
  all(): IterableIterator<StoredTrace> {
    return this.traces.values();
  }

  get size(): number {
    return this.traces.size;
  }

  /** The trace's documents, parsed. */
  documents(t: StoredTrace): SegmentDocument[] {
    const out: SegmentDocument[] = [];
    for (const d of t.docs.values()) out.push(JSON.parse(d.text) as SegmentDocument);
    return out;
  }

  facts(t: StoredTrace): TraceFacts {
    t.facts ??= summarize(t.id, this.documents(t), this.opts.accountId);
    return t.facts;
  }

  flush(): void {
    this.log.flush();
  }

  close(): void {
    this.log.close();
  }

  get diskBytes(): number {
    return this.log.bytes;
  }

  /** true when the document was taken (not an in-progress one arriving after its completion) */
  private index(doc: SegmentDocument, text: string, fileNo: number): boolean {
    const traceId = doc.trace_id!;
    let t = this.traces.get(traceId);
    if (!t) {
      t = { id: traceId, docs: new Map(), firstFile: fileNo, start: doc.start_time, end: doc.end_time ?? doc.start_time, updatedAt: 0 };
      this.traces.set(traceId, t);
    }
    const prev = t.docs.get(doc.id);
    const inProgress = doc.in_progress === true;
    if (prev && !prev.inProgress && inProgress) return false;
    t.docs.set(doc.id, { text, inProgress });
    if (doc.start_time < t.start) t.start = doc.start_time;
    const end = doc.end_time ?? doc.start_time;
    if (end > t.end) t.end = end;
    t.updatedAt = this.now();
    t.facts = undefined;
    return true;
  }

  private dropFile(no: number): void {
    for (const [id, t] of this.traces) if (t.firstFile <= no) this.traces.delete(id);
  }
}
