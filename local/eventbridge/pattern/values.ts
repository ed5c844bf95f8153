/**
 * Value checks the pattern compiler shares: comparable numbers, IP addresses and CIDR blocks, and
 * wildcard strings. Each failure is an `IllegalPatternValue` whose message is Event Ruler's (the
 * compiler decides whether Jackson's location is appended, as Ruler does).
 */

/** Ruler's IllegalArgumentException: a value the pattern language cannot use. */
export class IllegalPatternValue extends Error {}

// ---------------------------------------------------------------- numbers

/**
 * A JSON number as a double, refused when the double does not hold exactly the decimal written
 * (Ruler compares numbers as IEEE 754 doubles and rejects "0.30000000000000001" or 2^53 + 1
 * rather than silently rounding them).
 */
export function comparableNumber(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || !sameDecimal(text, String(n))) throw new IllegalPatternValue(`Cannot compare number : ${text}`);
  return n;
}

/** Whether two decimal numerals denote the same value (sign, significant digits, exponent). */
function sameDecimal(a: string, b: string): boolean {
  const x = canonical(a);
  const y = canonical(b);
  return x.zero ? y.zero : !y.zero && x.neg === y.neg && x.digits === y.digits && x.exp === y.exp;
}

function canonical(s: string): { zero: boolean; neg: boolean; digits: string; exp: number } {
  let i = 0;
  let neg = false;
  if (s[i] === '-' || s[i] === '+') neg = s[i++] === '-';
  let mant = '';
  let pointAt = -1;
  for (; i < s.length && s[i] !== 'e' && s[i] !== 'E'; i++) {
    if (s[i] === '.') pointAt = mant.length;
    else mant += s[i];
  }
  let exp = i < s.length ? Number(s.slice(i + 1)) : 0;
  if (pointAt < 0) pointAt = mant.length;
  // value = 0.mant × 10^(pointAt + exp) after removing leading zeros
  let lead = 0;
  while (lead < mant.length && mant[lead] === '0') lead++;
  const digits = mant.slice(lead).replace(/0+$/, '');
  if (digits === '') return { zero: true, neg: false, digits: '', exp: 0 };
  exp += pointAt - lead;
  return { zero: false, neg, digits, exp };
}

/** Ruler's "Bottom must be less than top" check for a numeric range. */
export function checkRange(bottom: number, top: number): void {
  if (!(bottom < top)) throw new IllegalPatternValue('Bottom must be less than top');
}

// ---------------------------------------------------------------- IP addresses

const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

export interface IpRange {
  family: 4 | 6;
  /** inclusive bounds as uppercase hex of the address bytes (8 or 32 digits), comparable as strings */
  low: string;
  high: string;
}

function looksLikeIp(s: string): boolean {
  return IPV4_SHAPE.test(s) || IPV6_SHAPE.test(s);
}

/** The address bytes of an IPv4 or IPv6 literal, or null when it is not one. */
export function parseIp(s: string): Uint8Array | null {
  if (IPV4_SHAPE.test(s)) {
    const parts = s.split('.').map((p) => (p.length > 3 ? 256 : Number(p)));
    if (parts.some((p) => p > 255)) return null;
    return Uint8Array.from(parts);
  }
  if (!IPV6_SHAPE.test(s)) return null;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const all = halves.length === 2 ? [...head, ...Array(8 - head.length - tail.length).fill('0'), ...tail] : head;
  if (all.length !== 8 || (halves.length === 2 && head.length + tail.length > 7)) return null;
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const g = all[i];
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    const v = parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  }
  return out;
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).toUpperCase().padStart(2, '0');
  return s;
}

const ipKeys = new Map<string, { family: 4 | 6; key: string } | null>();

/** The address of a pattern or event value as a range key, or null when it is not an address (memoized). */
export function ipKey(s: string): { family: 4 | 6; key: string } | null {
  let k = ipKeys.get(s);
  if (k !== undefined) return k;
  if (!looksLikeIp(s)) k = null;
  else {
    const b = parseIp(s);
    k = b ? { family: b.length === 4 ? 4 : 6, key: hex(b) } : null;
  }
  if (ipKeys.size >= 10_000) ipKeys.clear();
  ipKeys.set(s, k);
  return k;
}

/** Ruler turns an exact string that is an IP literal into a one-address range. */
export function exactIpRange(s: string): IpRange | null {
  const k = ipKey(s);
  return k ? { family: k.family, low: k.key, high: k.key } : null;
}

function addressBytes(ip: string): Uint8Array {
  const looks = looksLikeIp(ip);
  const b = looks ? parseIp(ip) : null;
  if (looks && !b) throw new IllegalPatternValue(`Invalid IP address: ${ip}`);
  if (!b) throw new IllegalPatternValue(`Nonstandard IP address: ${ip}`);
  return b;
}

/** A CIDR block, refused with Ruler's messages (note IPv4 /32 and IPv6 /128 are refused, as Ruler does). */
export function cidrRange(cidr: string): IpRange {
  // Java's String.split drops trailing empty strings: "10.0.0.0/" has one part
  const parts = cidr.split('/');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length !== 2) throw new IllegalPatternValue("Malformed CIDR, one '/' required");
  if (!/^[+-]?[0-9]+$/.test(parts[1]) || Math.abs(Number(parts[1])) > 2147483647) {
    throw new IllegalPatternValue('Malformed CIDR, mask bits must be an integer');
  }
  const bits = Number(parts[1]);
  if (bits < 0) throw new IllegalPatternValue('Malformed CIDR, mask bits must not be negative');
  const addr = addressBytes(parts[0]);
  if (addr.length === 4 && bits > 31) throw new IllegalPatternValue('IPv4 mask bits must be < 32');
  if (addr.length === 16 && bits > 127) throw new IllegalPatternValue('IPv6 mask bits must be < 128');
  const low = new Uint8Array(addr.length);
  const high = new Uint8Array(addr.length);
  for (let i = 0; i < addr.length; i++) {
    const fixed = Math.max(0, Math.min(8, bits - i * 8));
    const mask = fixed === 0 ? 0 : (0xff << (8 - fixed)) & 0xff;
    low[i] = addr[i] & mask;
    high[i] = (addr[i] & mask) | (~mask & 0xff);
  }
  return { family: addr.length === 4 ? 4 : 6, low: hex(low), high: hex(high) };
}

// ---------------------------------------------------------------- wildcards

/** A compiled wildcard: literal segments around `*`s. */
export interface Glob {
  segments: string[];
}

/**
 * Parses a wildcard value: `*` matches any run of characters, `\*` a literal star, `\\` a
 * backslash; two stars in a row and any other escape are refused. Positions in Ruler's messages
 * count UTF-8 bytes of the value with its surrounding JSON quotes.
 */
export function parseWildcard(text: string): Glob {
  const quoted = Buffer.from(`"${text}"`, 'utf8');
  const segments: string[] = [];
  let cur: number[] = [];
  for (let i = 0; i < quoted.length; i++) {
    const b = quoted[i];
    if (b === 0x2a) {
      if (i + 1 < quoted.length && quoted[i + 1] === 0x2a) throw new IllegalPatternValue(`Consecutive wildcard characters at pos ${i}`);
      segments.push(Buffer.from(cur).toString('utf8'));
      cur = [];
    } else if (b === 0x5c) {
      const n = i + 1 < quoted.length ? quoted[i + 1] : -1;
      if (n !== 0x2a && n !== 0x5c) throw new IllegalPatternValue(`Invalid escape character at pos ${i}`);
      cur.push(n);
      i++;
    } else cur.push(b);
  }
  segments.push(Buffer.from(cur).toString('utf8'));
  // strip the quotes added for position counting
  segments[0] = segments[0].slice(1);
  segments[segments.length - 1] = segments[segments.length - 1].slice(0, -1);
  return { segments };
}

/** Linear-time glob match (no regular expression, so no catastrophic backtracking). */
export function globMatches(g: Glob, s: string): boolean {
  const segs = g.segments;
  if (segs.length === 1) return s === segs[0];
  const first = segs[0];
  const last = segs[segs.length - 1];
  if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) return false;
  let at = first.length;
  const end = s.length - last.length;
  for (let i = 1; i < segs.length - 1; i++) {
    const idx = s.indexOf(segs[i], at);
    if (idx < 0 || idx + segs[i].length > end) return false;
    at = idx + segs[i].length;
  }
  return true;
}
