/** CRC-32C against the published check value and the RFC 3720 (iSCSI) test vectors. */
import { crc32c } from '../../../../local/kafka/crc32c';

// kafkajs' own CRC-32C, an independent implementation to compare against on random data.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsCrc32c = require('kafkajs/src/protocol/recordBatch/crc32C') as (b: Buffer) => number;

test('check value of "123456789"', () => {
  expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
});

test('RFC 3720 B.4 vectors', () => {
  expect(crc32c(Buffer.alloc(32, 0x00))).toBe(0x8a9136aa);
  expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
  expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
  expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)))).toBe(0x113fdb5c);
});

test('empty input, sub-ranges and chaining', () => {
  expect(crc32c(Buffer.alloc(0))).toBe(0);
  const b = Buffer.from('xx123456789yy');
  expect(crc32c(b, 2, 11)).toBe(0xe3069283);
  expect(crc32c(b, 7, 11, crc32c(b, 2, 7))).toBe(0xe3069283);
});

test('agrees with kafkajs on random buffers of every length 0..300', () => {
  for (let n = 0; n <= 300; n++) {
    const buf = Buffer.from(Array.from({ length: n }, () => Math.floor(Math.random() * 256)));
    expect(crc32c(buf) >>> 0).toBe(kafkajsCrc32c(buf) >>> 0);
  }
});
