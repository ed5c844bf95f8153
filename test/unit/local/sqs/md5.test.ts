// The attribute digest, against values published with other implementations that the AWS SDKs accept.
import { md5Hex, md5OfAttributes } from '../../../../local/sqs/md5';

test('body digest is the MD5 of the UTF-8 bytes', () => {
  expect(md5Hex('hello')).toBe('5d41402abc4b2a76b9719d911017c592');
});

test('attribute digests: names sorted, length-prefixed parts, transport byte', () => {
  expect(md5OfAttributes({ SellerName: { DataType: 'String', StringValue: 'Example Store' } })).toBe('cd28f3b68aeee4b2eac9c66f2f694b58');
  expect(
    md5OfAttributes({
      ordinal: { DataType: 'Number', StringValue: '1' },
      category: { DataType: 'String', StringValue: 'test' },
    }),
  ).toBe('d21ae90c49061e927f57df5f5d72be1f');
  expect(md5OfAttributes({})).toBeUndefined();
  expect(md5OfAttributes(undefined)).toBeUndefined();
  // binary values are digested as bytes with transport type 2: differs from the same text as a string
  const bin = md5OfAttributes({ b: { DataType: 'Binary', BinaryValue: Buffer.from('x').toString('base64') } });
  const str = md5OfAttributes({ b: { DataType: 'String', StringValue: 'x' } });
  expect(bin).toMatch(/^[0-9a-f]{32}$/);
  expect(bin).not.toBe(str);
});
