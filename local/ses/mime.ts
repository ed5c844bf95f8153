/**
 * Just enough MIME for a local SES: reading the headers of a raw message (From, To, Cc, Bcc,
 * Subject, with folded lines and RFC 2047 encoded words) and writing the message that
 * TestRenderEmailTemplate returns.
 */
import { randomBytes } from 'node:crypto';

export interface RawHeaders {
  from?: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject?: string;
}

function decodeWords(s: string): string {
  return s.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, charset: string, enc: string, text: string) => {
    const buf = enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    return /utf-?8/i.test(charset) ? buf.toString('utf8') : buf.toString('latin1');
  });
}

/** Splits an address list on commas outside quotes and angle brackets. */
export function splitAddresses(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let angle = 0;
  for (const c of s) {
    if (c === '"') quoted = !quoted;
    if (!quoted && c === '<') angle++;
    if (!quoted && c === '>') angle--;
    if (c === ',' && !quoted && angle === 0) {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

export function parseRawHeaders(raw: string): RawHeaders {
  const end = raw.search(/\r?\n\r?\n/);
  const head = (end >= 0 ? raw.slice(0, end) : raw).replace(/\r?\n[ \t]+/g, ' ');
  const h: RawHeaders = { to: [], cc: [], bcc: [] };
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    const value = decodeWords(line.slice(i + 1).trim());
    if (name === 'from') h.from = value;
    else if (name === 'subject') h.subject = value;
    else if (name === 'to' || name === 'cc' || name === 'bcc') h[name].push(...splitAddresses(value));
  }
  return h;
}

function encodeHeader(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;
}

/** The MIME message of a rendered template, as TestRenderEmailTemplate returns it. */
export function renderedMime(subject: string | undefined, text: string | undefined, html: string | undefined): string {
  const boundary = `----=_Part_${randomBytes(8).toString('hex')}`;
  const lines = [`Subject: ${encodeHeader(subject ?? '')}`, 'MIME-Version: 1.0', `Content-Type: multipart/alternative; boundary="${boundary}"`, ''];
  for (const [type, body] of [['text/plain', text], ['text/html', html]] as const) {
    if (body === undefined) continue;
    lines.push(`--${boundary}`, `Content-Type: ${type}; charset=UTF-8`, 'Content-Transfer-Encoding: base64', '', Buffer.from(body, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n'), '');
  }
  lines.push(`--${boundary}--`, '');
  return lines.join('\r\n');
}
