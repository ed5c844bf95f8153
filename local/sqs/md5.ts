/**
 * The digests SQS returns so that clients can check what it stored (the SDKs verify MD5OfBody
 * and MD5OfMessageBody; some verify the attribute digests too).
 *
 * Attributes are digested as AWS documents it ("Calculating the MD5 message digest for message
 * attributes"): for each attribute in ascending order of name, the name, the data type and the
 * value, each as a 4-byte big-endian length followed by the bytes (UTF-8 for strings), with one
 * transport byte before the value: 1 for String and Number types, 2 for Binary types. The same
 * encoding digests the message system attributes (AWSTraceHeader).
 */
import { createHash } from 'node:crypto';

export interface AttributeValue {
  DataType: string;
  StringValue?: string;
  /** base64, as on the JSON wire */
  BinaryValue?: string;
  /** reserved by AWS; refused when sent */
  StringListValues?: unknown;
  BinaryListValues?: unknown;
}

export function md5Hex(s: string): string {
  return createHash('md5').update(s, 'utf8').digest('hex');
}

function lengthPrefixed(b: Buffer): Buffer[] {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return [len, b];
}

export function md5OfAttributes(attrs: Record<string, AttributeValue> | undefined): string | undefined {
  if (!attrs) return undefined;
  const names = Object.keys(attrs).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  for (const name of names) {
    const a = attrs[name]!;
    for (const part of lengthPrefixed(Buffer.from(name, 'utf8'))) hash.update(part);
    for (const part of lengthPrefixed(Buffer.from(a.DataType, 'utf8'))) hash.update(part);
    if (a.DataType.startsWith('Binary')) {
      hash.update(Buffer.from([2]));
      for (const part of lengthPrefixed(Buffer.from(a.BinaryValue ?? '', 'base64'))) hash.update(part);
    } else {
      hash.update(Buffer.from([1]));
      for (const part of lengthPrefixed(Buffer.from(a.StringValue ?? '', 'utf8'))) hash.update(part);
    }
  }
  return hash.digest('hex');
}
