/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum Kafka puts in every
 * record batch (magic v2) header.
 *
 * Node's zlib only exposes the IEEE CRC-32 (zlib.crc32, and only from Node 22), never the
 * Castagnoli variant, and the npm packages for it are native add-ons or unmaintained; the
 * algorithm is twenty lines, so it is written here. It is the table-driven "slicing-by-8"
 * form: eight 256-entry tables let the hot loop consume 8 bytes per iteration, which matters
 * because the broker verifies the CRC of every batch it is sent.
 */

const POLY = 0x82f63b78;

/** TABLES[k][b] = CRC of byte b followed by k zero bytes. */
const TABLES: Uint32Array[] = (() => {
  const t: Uint32Array[] = [];
  for (let k = 0; k < 8; k++) t.push(new Uint32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let i = 0; i < 8; i++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[0][n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[0][n];
    for (let k = 1; k < 8; k++) {
      c = t[0][c & 0xff] ^ (c >>> 8);
      t[k][n] = c >>> 0;
    }
  }
  return t;
})();

/** CRC-32C of buf[start, end). `crc` chains a previous result (pass the earlier return value). */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length, crc = 0): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES;
  let c = ~crc >>> 0;
  let i = start;
  const stop8 = end - ((end - start) & 7);
  while (i < stop8) {
    const lo = (c ^ (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24))) >>> 0;
    c =
      t7[lo & 0xff] ^
      t6[(lo >>> 8) & 0xff] ^
      t5[(lo >>> 16) & 0xff] ^
      t4[lo >>> 24] ^
      t3[buf[i + 4]] ^
      t2[buf[i + 5]] ^
      t1[buf[i + 6]] ^
      t0[buf[i + 7]];
    i += 8;
  }
  while (i < end) c = t0[(c ^ buf[i++]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
