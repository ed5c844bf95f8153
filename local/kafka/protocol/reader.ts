/**
 * Reads the Kafka protocol's primitive types (big-endian ints, int16-length strings,
 * int32-length bytes and arrays, zig-zag varints for records) from a request buffer.
 * Any read past the end throws MalformedRequestError so a bad frame closes the connection.
 * Bytes fields are returned as slices of the frame (no copy).
 */
import { MalformedRequestError } from '../errors';

export class Reader {
  offset: number;

  constructor(
    readonly buf: Buffer,
    offset = 0,
    readonly end = buf.length,
  ) {
    this.offset = offset;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private need(n: number): number {
    const at = this.offset;
    if (n < 0 || at + n > this.end) throw new MalformedRequestError(`read of ${n} bytes at ${at} overruns frame end ${this.end}`);
    this.offset = at + n;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.need(1));
  }
  bool(): boolean {
    return this.int8() !== 0;
  }
  int16(): number {
    return this.buf.readInt16BE(this.need(2));
  }
  int32(): number {
    return this.buf.readInt32BE(this.need(4));
  }
  uint32(): number {
    return this.buf.readUInt32BE(this.need(4));
  }
  /** int64 as a JS number: offsets and timestamps stay below 2^53. */
  int64(): number {
    const at = this.need(8);
    return this.buf.readInt32BE(at) * 4294967296 + this.buf.readUInt32BE(at + 4);
  }

  nullableString(): string | null {
    const len = this.int16();
    if (len === -1) return null;
    if (len < -1) throw new MalformedRequestError(`negative string length ${len}`);
    const at = this.need(len);
    return this.buf.toString('utf8', at, at + len);
  }
  string(): string {
    const s = this.nullableString();
    if (s === null) throw new MalformedRequestError('null where a string is required');
    return s;
  }

  nullableBytes(): Buffer | null {
    const len = this.int32();
    if (len === -1) return null;
    if (len < -1) throw new MalformedRequestError(`negative bytes length ${len}`);
    const at = this.need(len);
    return this.buf.subarray(at, at + len);
  }
  bytes(): Buffer {
    return this.nullableBytes() ?? Buffer.alloc(0);
  }

  nullableArray<T>(item: (r: Reader) => T): T[] | null {
    const n = this.int32();
    if (n === -1) return null;
    // Every element is at least one byte: a count above the bytes left is a lie.
    if (n < -1 || n > this.remaining) throw new MalformedRequestError(`bad array length ${n}`);
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = item(this);
    return out;
  }
  array<T>(item: (r: Reader) => T): T[] {
    return this.nullableArray(item) ?? [];
  }

  /** Unsigned LEB128 varint (up to 32 bits). */
  uvarint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.buf[this.need(1)];
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new MalformedRequestError('varint too long');
    }
  }
  /** Zig-zag signed varint / varlong (record fields). Exact up to 2^53. */
  varint(): number {
    const u = this.uvarint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  /** Asserts the whole frame was consumed (Kafka rejects trailing garbage too). */
  done(): void {
    if (this.offset !== this.end) throw new MalformedRequestError(`${this.end - this.offset} unexpected trailing bytes`);
  }
}
