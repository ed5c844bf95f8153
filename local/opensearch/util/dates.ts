// Date handling for `date` fields: OpenSearch's named formats (strict_date_optional_time, epoch_millis, ...),
// simple custom patterns (yyyy-MM-dd HH:mm:ss), `||` alternatives, and date math (now-1d/d, 2024-01-01||+1M).
// Written here because the formats are OpenSearch's (Java DateFormatter) and no npm date library speaks them.

export const DEFAULT_DATE_FORMAT = 'strict_date_optional_time||epoch_millis';

const ISO = /^([+-]?\d{4,9})(?:-(\d{1,2})(?:-(\d{1,2})(?:[T ](\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,9}))?)?)?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const STRICT_ISO = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, frac: string | undefined, zone: string | undefined): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  let t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  if (y >= 0 && y < 100) {
    const dt = new Date(t);
    dt.setUTCFullYear(y);
    t = dt.getTime();
  }
  const check = new Date(t);
  if (check.getUTCDate() !== d) return null; // e.g. 2024-02-31
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const off = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
    t -= sign * off * 60_000;
  }
  return t;
}

function parseIso(s: string, strict: boolean): number | null {
  const m = (strict ? STRICT_ISO : ISO).exec(s);
  if (!m) return null;
  return build(Number(m[1]), Number(m[2] ?? 1), Number(m[3] ?? 1), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), m[7], m[8]);
}

/** Compiles a Java-style pattern (yyyy, MM, dd, HH, mm, ss, SSS, Z/XXX, quoted literals) to a parser. */
function compilePattern(pattern: string): (s: string) => number | null {
  let re = '^';
  const groups: string[] = [];
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i];
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      const lit = pattern.slice(i + 1, end < 0 ? pattern.length : end);
      re += lit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    let j = i;
    while (j < pattern.length && pattern[j] === c) j++;
    const run = pattern.slice(i, j);
    i = j;
    if ('yuMdHhmsS'.includes(c)) {
      groups.push(c);
      re += c === 'S' ? '(\\d{1,9})' : c === 'y' || c === 'u' ? '([+-]?\\d{1,9})' : `(\\d{1,${Math.max(2, run.length)}})`;
    } else if (c === 'Z' || c === 'X' || c === 'x') {
      groups.push('Z');
      re += '(Z|[+-]\\d{2}:?\\d{2})';
    } else {
      re += run.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  const rx = new RegExp(re + '$');
  return (s) => {
    const m = rx.exec(s);
    if (!m) return null;
    const v: Record<string, string> = {};
    groups.forEach((g, k) => (v[g] = m[k + 1]));
    return build(Number(v.y ?? v.u ?? 1970), Number(v.M ?? 1), Number(v.d ?? 1), Number(v.H ?? v.h ?? 0), Number(v.m ?? 0), Number(v.s ?? 0), v.S, v.Z);
  };
}

const patternCache = new Map<string, (s: string) => number | null>();

function parseOne(value: string, format: string): number | null {
  switch (format) {
    case 'strict_date_optional_time':
    case 'strict_date_optional_time_nanos':
    case 'strict_date_time':
    case 'strict_date':
    case 'strict_date_hour_minute_second':
      return parseIso(value, true);
    case 'date_optional_time':
    case 'date_time':
    case 'date':
    case 'iso8601':
      return parseIso(value, false);
    case 'epoch_millis':
      return /^-?\d+(\.\d+)?$/.test(value) ? Math.trunc(Number(value)) : null;
    case 'epoch_second':
      return /^-?\d+(\.\d+)?$/.test(value) ? Math.trunc(Number(value) * 1000) : null;
    case 'basic_date':
      return compiled('yyyyMMdd')(value);
    default: {
      return compiled(format)(value);
    }
  }
}

function compiled(p: string): (s: string) => number | null {
  let f = patternCache.get(p);
  if (!f) {
    f = compilePattern(p);
    patternCache.set(p, f);
  }
  return f;
}

/** Parses a date value of a `date` field (string or number) with the field's format; null when unparseable. */
export function parseDate(value: unknown, format = DEFAULT_DATE_FORMAT): number | null {
  const formats = format.split('||');
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    if (formats.includes('epoch_second')) return Math.trunc(value * 1000);
    return Math.trunc(value);
  }
  if (typeof value !== 'string') return null;
  for (const f of formats) {
    const t = parseOne(value.trim(), f.trim());
    if (t !== null) return t;
  }
  return null;
}

/** Whether a JSON string looks like a date to dynamic mapping (date_detection with the default formats). */
export function detectDate(s: string): boolean {
  if (s.length < 10 || s.length > 35) return false;
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) return parseIso(s, true) !== null;
  if (/^\d{4}\/\d{2}\/\d{2}/.test(s)) return compiled('yyyy/MM/dd HH:mm:ss Z')(s) !== null || compiled('yyyy/MM/dd Z')(s) !== null || compiled('yyyy/MM/dd')(s) !== null;
  return false;
}

export function formatDate(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

type Unit = 'y' | 'M' | 'w' | 'd' | 'h' | 'H' | 'm' | 's';

function add(t: number, n: number, unit: Unit): number {
  const d = new Date(t);
  switch (unit) {
    case 'y':
      d.setUTCFullYear(d.getUTCFullYear() + n);
      return d.getTime();
    case 'M':
      d.setUTCMonth(d.getUTCMonth() + n);
      return d.getTime();
    case 'w':
      return t + n * 7 * 86_400_000;
    case 'd':
      return t + n * 86_400_000;
    case 'h':
    case 'H':
      return t + n * 3_600_000;
    case 'm':
      return t + n * 60_000;
    default:
      return t + n * 1000;
  }
}

function roundDown(t: number, unit: Unit): number {
  const d = new Date(t);
  switch (unit) {
    case 'y':
      return Date.UTC(d.getUTCFullYear(), 0, 1);
    case 'M':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    case 'w': {
      const day = (d.getUTCDay() + 6) % 7; // Monday = 0
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day);
    }
    case 'd':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    case 'h':
    case 'H':
      return t - (((t % 3_600_000) + 3_600_000) % 3_600_000);
    case 'm':
      return t - (((t % 60_000) + 60_000) % 60_000);
    default:
      return t - (((t % 1000) + 1000) % 1000);
  }
}

export class DateMathError extends Error {}

/**
 * Resolves a date-math expression (now, now-1d/d, 2024-01-01||+1M/M) to epoch ms.
 * `roundUp` applies OpenSearch's rounding for lte/gt (end of the rounded unit).
 */
export function parseDateMath(value: unknown, format: string | undefined, roundUp: boolean, now = Date.now()): number {
  if (typeof value === 'number') return parseDate(value, format ?? DEFAULT_DATE_FORMAT) ?? NaN;
  if (typeof value !== 'string') throw new DateMathError(`failed to parse date field [${String(value)}]`);
  let base: number;
  let math: string;
  if (value.startsWith('now')) {
    base = now;
    math = value.slice(3);
  } else {
    const sep = value.indexOf('||');
    const datePart = sep >= 0 ? value.slice(0, sep) : value;
    math = sep >= 0 ? value.slice(sep + 2) : '';
    const t = parseDate(datePart, format ?? DEFAULT_DATE_FORMAT);
    if (t === null) {
      throw new DateMathError(
        `failed to parse date field [${value}] with format [${format ?? DEFAULT_DATE_FORMAT}]: [failed to parse date field [${value}] with format [${format ?? DEFAULT_DATE_FORMAT}]]`,
      );
    }
    base = t;
  }
  let t = base;
  let i = 0;
  while (i < math.length) {
    const op = math[i];
    if (op === '/') {
      const unit = math[i + 1] as Unit;
      if (!'yMwdhHms'.includes(unit)) throw new DateMathError(`rounding unit [${unit}] not supported in [${value}]`);
      t = roundDown(t, unit);
      if (roundUp) t = add(t, 1, unit) - 1;
      i += 2;
    } else if (op === '+' || op === '-') {
      let j = i + 1;
      while (j < math.length && /\d/.test(math[j])) j++;
      const n = j > i + 1 ? Number(math.slice(i + 1, j)) : 1;
      const unit = math[j] as Unit;
      if (!unit || !'yMwdhHms'.includes(unit)) throw new DateMathError(`unit [${unit ?? ''}] not supported for date math [${math}]`);
      t = add(t, op === '+' ? n : -n, unit);
      i = j + 1;
    } else {
      throw new DateMathError(`operator not supported for date math [${math}]`);
    }
  }
  return t;
}
