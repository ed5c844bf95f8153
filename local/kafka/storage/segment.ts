/**
 * One log segment of a partition: `<baseOffset>.log` holds record batches back to back exactly
 * as produced (only baseOffset/partitionLeaderEpoch rewritten), `<baseOffset>.index` is the
 * sparse offset index: 8-byte entries (offset - baseOffset: int32, file position: int32), one
 * each time another INDEX_INTERVAL_BYTES of log were written, like Kafka's .index files.
 *
 * Durability (the fsync policy): an append resolves once write(2) returned, i.e. the bytes are
 * in the operating system's page cache. That survives a crash of this process (the case that
 * matters for a local cloud) but not a power loss; segments are fsynced when rolled and when
 * the broker closes. This is Kafka's own default (log.flush.interval.messages = infinity,
 * relying on the page cache). Recovery on open scans the active segment from its last index
 * entry, checking each batch's framing and CRC-32C, and truncates a torn tail: a crash loses
 * at most batches that were never acknowledged.
 *
 * All I/O on the produce and fetch paths is asynchronous (positional reads and writes on
 * file descriptors kept open); only open/recover uses the synchronous calls, once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { crc32c } from '../crc32c';
import { BATCH_HEADER_SIZE, LOG_OVERHEAD, batchSizeAt, readInt64 } from '../protocol/records';

const writev = promisify(fs.writev);
const write = promisify(fs.write);
const read = promisify(fs.read);
const fdatasync = promisify(fs.fdatasync);
const close = promisify(fs.close);

export const INDEX_INTERVAL_BYTES = 4096;
const INDEX_ENTRY = 8;

export function segmentFileName(baseOffset: number, ext: 'log' | 'index'): string {
  return `${String(baseOffset).padStart(20, '0')}.${ext}`;
}

export interface BatchRef {
  buf: Buffer;
  baseOffset: number;
  lastOffset: number;
}

export class Segment {
  /** Bytes of complete, acknowledged batches. */
  size = 0;
  /** Offset after the last batch in this segment. */
  nextOffset: number;
  private indexOffsets: number[] = [];
  private indexPositions: number[] = [];
  private bytesSinceIndex = 0;
  private indexFileEntries = 0;
  private closed = false;

  private constructor(
    readonly dir: string,
    readonly baseOffset: number,
    private readonly logFd: number,
    private readonly indexFd: number,
  ) {
    this.nextOffset = baseOffset;
  }

  static create(dir: string, baseOffset: number): Segment {
    const logFd = fs.openSync(path.join(dir, segmentFileName(baseOffset, 'log')), 'w+');
    const indexFd = fs.openSync(path.join(dir, segmentFileName(baseOffset, 'index')), 'w+');
    return new Segment(dir, baseOffset, logFd, indexFd);
  }

  /**
   * Opens an existing segment. For the active (last) segment `recover` scans and validates the
   * tail after the last index entry and truncates what is torn; older segments are trusted.
   * After an unclean shutdown (`rebuildIndex`) the active segment is scanned, and its index
   * rebuilt, from the start, as Kafka does for segments past its recovery point.
   */
  static open(dir: string, baseOffset: number, recover: boolean, rebuildIndex: boolean, log: (m: string) => void): Segment {
    const logPath = path.join(dir, segmentFileName(baseOffset, 'log'));
    const indexPath = path.join(dir, segmentFileName(baseOffset, 'index'));
    const logFd = fs.openSync(logPath, 'r+');
    const indexFd = fs.openSync(indexPath, fs.existsSync(indexPath) ? 'r+' : 'w+');
    const seg = new Segment(dir, baseOffset, logFd, indexFd);
    const fileSize = fs.fstatSync(logFd).size;

    // Load the index, dropping entries that point past the log or go backwards (a torn index).
    const idx = rebuildIndex ? Buffer.alloc(0) : fs.readFileSync(indexPath);
    let lastPos = -1;
    let lastRel = -1;
    for (let at = 0; at + INDEX_ENTRY <= idx.length; at += INDEX_ENTRY) {
      const rel = idx.readInt32BE(at);
      const pos = idx.readInt32BE(at + 4);
      if (pos <= lastPos || pos >= fileSize || rel <= lastRel) break;
      lastRel = rel;
      seg.indexOffsets.push(baseOffset + rel);
      seg.indexPositions.push(pos);
      lastPos = pos;
    }
    let validIndex = seg.indexOffsets.length;
    let indexDirty = rebuildIndex || validIndex * INDEX_ENTRY !== idx.length;

    // Scan from the last index entry (or the start) to the end of the file. If the entry does
    // not point at a batch with its offset, the index is not trusted: rebuild it from the start.
    let pos = 0;
    let tail = Buffer.alloc(0);
    let at = 0;
    let next = baseOffset;
    let sinceIndex = 0;
    for (;;) {
      pos = validIndex > 0 ? seg.indexPositions[validIndex - 1] : 0;
      tail = Buffer.allocUnsafe(fileSize - pos);
      if (tail.length > 0) fs.readSync(logFd, tail, 0, tail.length, pos);
      at = 0;
      next = validIndex > 0 ? seg.indexOffsets[validIndex - 1] : baseOffset;
      sinceIndex = 0;
      if (validIndex > 0 && (tail.length < BATCH_HEADER_SIZE || readInt64(tail, 0) !== seg.indexOffsets[validIndex - 1])) {
        log(`segment ${logPath}: index does not match the log; rebuilding it`);
        seg.indexOffsets.length = seg.indexPositions.length = validIndex = 0;
        indexDirty = true;
        continue;
      }
      break;
    }
    while (at < tail.length) {
      const size = batchSizeAt(tail, at);
      if (size < BATCH_HEADER_SIZE || at + size > tail.length) break;
      if (recover && (tail.readInt8(at + 16) !== 2 || crc32c(tail, at + 21, at + size) !== tail.readUInt32BE(at + 17))) break;
      const batchBase = readInt64(tail, at);
      if (at > 0 && sinceIndex >= INDEX_INTERVAL_BYTES) {
        seg.indexOffsets.push(batchBase);
        seg.indexPositions.push(pos + at);
        sinceIndex = 0;
        indexDirty = true;
      }
      sinceIndex += size;
      next = batchBase + tail.readInt32BE(at + 23) + 1;
      at += size;
    }
    if (!recover && at !== tail.length) {
      log(`segment ${logPath}: ${tail.length - at} trailing bytes are not a batch; they will not be served`);
    }
    seg.size = pos + at;
    seg.nextOffset = next;
    seg.bytesSinceIndex = sinceIndex;
    if (recover && seg.size < fileSize) {
      log(`recovery: truncating ${logPath} from ${fileSize} to ${seg.size} bytes (torn or corrupt tail)`);
      fs.ftruncateSync(logFd, seg.size);
    }
    // Rewrite the index if the scan added or dropped entries.
    if (indexDirty) {
      const out = Buffer.alloc(seg.indexOffsets.length * INDEX_ENTRY);
      seg.indexOffsets.forEach((o, i) => {
        out.writeInt32BE(o - baseOffset, i * INDEX_ENTRY);
        out.writeInt32BE(seg.indexPositions[i], i * INDEX_ENTRY + 4);
      });
      fs.ftruncateSync(indexFd, 0);
      if (out.length) fs.writeSync(indexFd, out, 0, out.length, 0);
      validIndex = seg.indexOffsets.length;
    }
    seg.indexFileEntries = validIndex;
    return seg;
  }

  /**
   * Appends whole batches (their offsets already assigned) with one writev, then the index
   * entries they earned. Resolves once both writes returned.
   */
  async append(batches: readonly BatchRef[]): Promise<void> {
    if (this.closed) throw new Error('segment closed');
    const bufs: Buffer[] = [];
    let pos = this.size;
    const newEntries: number[] = [];
    for (const b of batches) {
      if (this.bytesSinceIndex >= INDEX_INTERVAL_BYTES) {
        this.indexOffsets.push(b.baseOffset);
        this.indexPositions.push(pos);
        newEntries.push(b.baseOffset - this.baseOffset, pos);
        this.bytesSinceIndex = 0;
      }
      this.bytesSinceIndex += b.buf.length;
      pos += b.buf.length;
      bufs.push(b.buf);
    }
    await writeAll(this.logFd, bufs, this.size);
    if (newEntries.length) {
      const ib = Buffer.allocUnsafe(newEntries.length * 4);
      newEntries.forEach((v, i) => ib.writeInt32BE(v, i * 4));
      await write(this.indexFd, ib, 0, ib.length, this.indexFileEntries * INDEX_ENTRY);
      this.indexFileEntries += newEntries.length / 2;
    }
    this.size = pos;
    this.nextOffset = batches[batches.length - 1].lastOffset + 1;
  }

  /** File position of the last indexed batch starting at or before `offset` (0 if none). */
  lookup(offset: number): number {
    const offs = this.indexOffsets;
    let lo = 0;
    let hi = offs.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (offs[mid] <= offset) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best < 0 ? 0 : this.indexPositions[best];
  }

  /**
   * Reads whole batches starting with the one that contains `offset`, at most `maxBytes` of
   * them, but always the first batch whole (as Kafka does since KIP-74). Returns [] at the end.
   */
  async readFrom(offset: number, maxBytes: number, startHint?: number): Promise<Buffer[]> {
    let pos = startHint ?? this.lookup(offset);
    const end = this.size;
    while (pos < end) {
      // The wanted batch is at most one index interval (plus one batch) past `pos`.
      const want = Math.min(end - pos, Math.max(maxBytes, 16 * 1024) + INDEX_INTERVAL_BYTES);
      const chunk = Buffer.allocUnsafe(want);
      const { bytesRead } = await read(this.logFd, chunk, 0, want, pos);
      let at = 0;
      while (bytesRead - at >= BATCH_HEADER_SIZE) {
        const size = LOG_OVERHEAD + chunk.readInt32BE(at + 8);
        const last = readInt64(chunk, at) + chunk.readInt32BE(at + 23);
        if (last >= offset) {
          if (at + size > bytesRead) {
            // First batch larger than what was read: read it whole on its own.
            const whole = Buffer.allocUnsafe(size);
            await read(this.logFd, whole, 0, size, pos + at);
            return [whole];
          }
          let stop = at + size;
          while (bytesRead - stop >= LOG_OVERHEAD) {
            const next = LOG_OVERHEAD + chunk.readInt32BE(stop + 8);
            if (stop + next > bytesRead || stop + next - at > maxBytes) break;
            stop += next;
          }
          return [chunk.subarray(at, stop)];
        }
        at += size;
      }
      if (at === 0) return [];
      pos += at;
    }
    return [];
  }

  /** Visits each batch header (offset, size, maxTimestamp), for timestamp lookups. */
  async *batches(): AsyncGenerator<{ position: number; buf: Buffer }> {
    let pos = 0;
    const head = Buffer.allocUnsafe(BATCH_HEADER_SIZE);
    while (pos + LOG_OVERHEAD <= this.size) {
      await read(this.logFd, head, 0, BATCH_HEADER_SIZE, pos);
      const size = LOG_OVERHEAD + head.readInt32BE(8);
      const whole = Buffer.allocUnsafe(size);
      await read(this.logFd, whole, 0, size, pos);
      yield { position: pos, buf: whole };
      pos += size;
    }
  }

  async flush(): Promise<void> {
    if (this.closed) return;
    await fdatasync(this.logFd);
    await fdatasync(this.indexFd);
  }

  async close(flush: boolean): Promise<void> {
    if (this.closed) return;
    if (flush) await this.flush().catch(() => undefined);
    this.closed = true;
    await Promise.all([close(this.logFd), close(this.indexFd)]);
  }
}

/** writev may write fewer bytes than asked; keep going until all are written. */
async function writeAll(fd: number, bufs: Buffer[], position: number): Promise<void> {
  let total = 0;
  for (const b of bufs) total += b.length;
  let written = 0;
  while (written < total) {
    const { bytesWritten } = await writev(fd, bufs, position + written);
    written += bytesWritten;
    if (written < total) {
      let skip = bytesWritten;
      while (skip > 0 && skip >= bufs[0].length) skip -= bufs.shift()!.length;
      if (skip > 0) bufs[0] = bufs[0].subarray(skip);
    }
  }
}
