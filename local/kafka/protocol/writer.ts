/**
 * Builds a response frame from Kafka protocol primitives. Small fields go into a growing
 * scratch buffer; large byte blobs (record sets served by Fetch) are appended by reference,
 * so a response is a list of buffers written to the socket with one writev and the stored
 * record batches are never copied.
 */
const MIN_CHUNK = 1024;
/** Blobs at least this big are kept by reference rather than copied into the scratch buffer. */
const ZERO_COPY_THRESHOLD = 512;

export class Writer {
  private chunks: Buffer[] = [];
  private cur: Buffer;
  private pos = 0;
  private total = 0;

  constructor(sizeHint = 256) {
    this.cur = Buffer.allocUnsafe(Math.max(sizeHint, MIN_CHUNK));
  }

  private room(n: number): void {
    if (this.pos + n <= this.cur.length) return;
    this.seal();
    this.cur = Buffer.allocUnsafe(Math.max(n, this.cur.length * 2, MIN_CHUNK));
  }
  private seal(): void {
    if (this.pos > 0) this.chunks.push(this.cur.subarray(0, this.pos));
    this.cur = this.cur.subarray(this.pos);
    this.pos = 0;
  }

  get length(): number {
    return this.total;
  }

  int8(v: number): this {
    this.room(1);
    this.cur.writeInt8(v, this.pos);
    this.pos += 1;
    this.total += 1;
    return this;
  }
  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }
  int16(v: number): this {
    this.room(2);
    this.cur.writeInt16BE(v, this.pos);
    this.pos += 2;
    this.total += 2;
    return this;
  }
  int32(v: number): this {
    this.room(4);
    this.cur.writeInt32BE(v, this.pos);
    this.pos += 4;
    this.total += 4;
    return this;
  }
  int64(v: number): this {
    this.room(8);
    const hi = Math.floor(v / 4294967296);
    this.cur.writeInt32BE(hi, this.pos);
    this.cur.writeUInt32BE(v - hi * 4294967296, this.pos + 4);
    this.pos += 8;
    this.total += 8;
    return this;
  }
  nullableString(s: string | null): this {
    if (s === null) return this.int16(-1);
    const len = Buffer.byteLength(s, 'utf8');
    this.int16(len);
    this.room(len);
    this.cur.write(s, this.pos, len, 'utf8');
    this.pos += len;
    this.total += len;
    return this;
  }
  string(s: string): this {
    return this.nullableString(s);
  }
  /** Raw bytes with no length prefix. */
  raw(b: Buffer): this {
    if (b.length >= ZERO_COPY_THRESHOLD) {
      this.seal();
      this.chunks.push(b);
    } else {
      this.room(b.length);
      b.copy(this.cur, this.pos);
      this.pos += b.length;
    }
    this.total += b.length;
    return this;
  }
  nullableBytes(b: Buffer | null): this {
    if (b === null) return this.int32(-1);
    return this.int32(b.length).raw(b);
  }
  bytes(b: Buffer): this {
    return this.nullableBytes(b);
  }
  /** int32 length then several blobs back to back (a Fetch record set made of stored batches). */
  bytesList(parts: readonly Buffer[]): this {
    let n = 0;
    for (const p of parts) n += p.length;
    this.int32(n);
    for (const p of parts) this.raw(p);
    return this;
  }
  array<T>(items: readonly T[], each: (w: this, item: T) => void): this {
    this.int32(items.length);
    for (const it of items) each(this, it);
    return this;
  }
  nullableArray<T>(items: readonly T[] | null, each: (w: this, item: T) => void): this {
    if (items === null) return this.int32(-1);
    return this.array(items, each);
  }

  /** The encoded bytes as a list of buffers (no copy of referenced blobs). */
  parts(): Buffer[] {
    this.seal();
    return this.chunks;
  }
  /** The encoded bytes as one buffer (copies; for tests and small messages). */
  toBuffer(): Buffer {
    return Buffer.concat(this.parts(), this.total);
  }
}
