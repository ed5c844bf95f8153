// The checks SNS makes on what is published: message size, subject, attributes, phone numbers,
// topic names; with SNS's wording.
import { invalidParameter } from './errors';
import type { SnsMessageAttribute } from './model';

export const MAX_MESSAGE_BYTES = 262144;
const E164 = /^\+[1-9]\d{1,14}$/;
const ATTR_NAME = /^[A-Za-z0-9_\-.]{1,256}$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function isE164(n: string): boolean {
  return E164.test(n);
}

export function checkPhoneNumber(n: string): void {
  if (!isE164(n)) throw invalidParameter(`PhoneNumber Reason: ${n} is not valid to publish`);
}

export function checkTopicName(name: string, fifo: boolean): void {
  if (fifo) {
    if (!/^[A-Za-z0-9_-]{1,251}\.fifo$/.test(name))
      throw invalidParameter(
        'Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.',
      );
  } else if (!/^[A-Za-z0-9_-]{1,256}$/.test(name)) throw invalidParameter('Topic Name');
}

export function checkSubject(subject: string | undefined): void {
  if (subject === undefined) return;
  if (subject === '' || subject.length > 100 || !/^[\x20-\x7e]*$/.test(subject) || /^\s/.test(subject)) throw invalidParameter('Subject');
}

/** Checks message attributes; returns their size in bytes. */
export function checkMessageAttributes(attrs: Record<string, SnsMessageAttribute> | undefined): number {
  if (!attrs) return 0;
  const names = Object.keys(attrs);
  if (names.length > 10) throw invalidParameter('MessageAttributes Reason: Number of message attributes [' + names.length + '] exceeds the allowed maximum [10].');
  let size = 0;
  for (const name of names) {
    const a = attrs[name]!;
    const reserved = /^AWS\.(SNS|MM)\./.test(name);
    if (!ATTR_NAME.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..') || (!reserved && /^(aws\.|amazon\.)/i.test(name)))
      throw invalidParameter(`MessageAttributes Reason: The message attribute name '${name}' is invalid.`);
    const type = a && typeof a === 'object' ? a.DataType : undefined;
    if (typeof type !== 'string' || !type) throw invalidParameter(`The message attribute '${name}' must contain non-empty message attribute type.`);
    const base = type.split('.')[0];
    if (base !== 'String' && base !== 'Number' && base !== 'Binary')
      throw invalidParameter(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    if (base === 'Binary') {
      if (!a.BinaryValue) throw invalidParameter(`The message attribute '${name}' with type 'Binary' must use field 'Binary'.`);
      size += Buffer.from(a.BinaryValue, 'base64').length;
    } else {
      if (typeof a.StringValue !== 'string' || a.StringValue === '')
        throw invalidParameter(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${base}'.`);
      if (base === 'Number' && !NUMBER.test(a.StringValue.trim())) throw invalidParameter(`Could not cast message attribute '${name}' value to number.`);
      if (type === 'String.Array') {
        let ok = false;
        try {
          ok = Array.isArray(JSON.parse(a.StringValue));
        } catch {
          ok = false;
        }
        if (!ok) throw invalidParameter(`The message attribute '${name}' with type 'String.Array' must be a JSON array.`);
      }
      size += Buffer.byteLength(a.StringValue);
    }
    size += Buffer.byteLength(name) + Buffer.byteLength(type);
  }
  return size;
}

export function checkMessageSize(message: string, attrs: Record<string, SnsMessageAttribute> | undefined): void {
  if (Buffer.byteLength(message) + checkMessageAttributes(attrs) > MAX_MESSAGE_BYTES) throw invalidParameter('Message too long');
}

/**
 * MessageStructure=json: the message is a JSON object with a `default` string and optional
 * per-protocol strings. Returns the object.
 */
export function parseStructured(message: string): Record<string, string> {
  let doc: unknown;
  try {
    doc = JSON.parse(message);
  } catch {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalidParameter('Message Structure - JSON message body failed to parse');
  const d = doc as Record<string, unknown>;
  if (typeof d.default !== 'string') throw invalidParameter('Message Structure - No default entry in JSON message body');
  return d as Record<string, string>;
}
