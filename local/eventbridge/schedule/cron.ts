/**
 * AWS's cron dialect for EventBridge schedules (UTC, minute precision):
 *
 *   cron(minutes hours day-of-month month day-of-week year)
 *
 *   field         values               wildcards
 *   minutes       0-59                 , - * /
 *   hours         0-23                 , - * /
 *   day-of-month  1-31                 , - * / ? L W     (L: last day; nW: weekday nearest day n; LW)
 *   month         1-12 or JAN-DEC      , - * /
 *   day-of-week   1-7 or SUN-SAT       , - * ? L #       (1 = SUN; L alone = SAT; nL: last n-day; n#k: k-th n-day)
 *   year          1970-2199            , - * /
 *
 * Exactly one of day-of-month and day-of-week is "?". A range may wrap (22-2 in hours, FRI-MON).
 *
 * Why not a library: cron-parser (the usual choice) has no year field, numbers Sunday 0, has no
 * W, and ORs day-of-month with day-of-week when both are set where AWS demands one "?". The
 * dialect is Quartz's, which AWS follows; this is a small reimplementation of the rules above.
 */

export class CronSyntaxError extends Error {}

type DaySpec =
  | { kind: 'any' }
  | { kind: 'set'; values: Set<number> }
  | { kind: 'last' } // L (day-of-month)
  | { kind: 'last-weekday' } // LW
  | { kind: 'nearest-weekday'; day: number } // nW
  | { kind: 'last-of-week'; dow: number } // nL (day-of-week)
  | { kind: 'nth-of-week'; dow: number; nth: number }; // n#k

export interface Cron {
  minutes: number[];
  hours: number[];
  months: Set<number>;
  years: Set<number>;
  dom: DaySpec;
  dow: DaySpec;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldDef {
  min: number;
  max: number;
  names?: string[];
}

const FIELD_MINUTES: FieldDef = { min: 0, max: 59 };
const FIELD_HOURS: FieldDef = { min: 0, max: 23 };
const FIELD_DOM: FieldDef = { min: 1, max: 31 };
const FIELD_MONTH: FieldDef = { min: 1, max: 12, names: MONTHS };
const FIELD_DOW: FieldDef = { min: 1, max: 7, names: DAYS };
const FIELD_YEAR: FieldDef = { min: 1970, max: 2199 };

function bad(): never {
  throw new CronSyntaxError('invalid cron expression');
}

function value(text: string, f: FieldDef): number {
  if (/^[0-9]+$/.test(text)) {
    const n = Number(text);
    if (n < f.min || n > f.max) bad();
    return n;
  }
  const i = f.names?.indexOf(text.toUpperCase()) ?? -1;
  if (i < 0) bad();
  return i + f.min;
}

/** A list of values, ranges and increments: "5,35", "8-17", "0/15", "*\/5", "10-50/20", "22-2". */
function parseSet(text: string, f: FieldDef): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    if (part === '') bad();
    const [rangeText, stepText, ...rest] = part.split('/');
    if (rest.length) bad();
    let step = 1;
    if (stepText !== undefined) {
      if (!/^[0-9]+$/.test(stepText)) bad();
      step = Number(stepText);
      if (step < 1) bad();
    }
    let start: number;
    let end: number;
    if (rangeText === '*') {
      start = f.min;
      end = f.max;
    } else if (rangeText.includes('-')) {
      const [a, b, ...more] = rangeText.split('-');
      if (more.length) bad();
      start = value(a, f);
      end = value(b, f);
    } else {
      start = value(rangeText, f);
      end = stepText !== undefined ? f.max : start;
    }
    const span = end >= start ? end - start : f.max - start + 1 + (end - f.min);
    for (let k = 0; k <= span; k += step) out.add(((start - f.min + k) % (f.max - f.min + 1)) + f.min);
  }
  return out;
}

function parseDom(text: string): DaySpec {
  if (text === '?') return { kind: 'any' };
  if (text === 'L') return { kind: 'last' };
  if (text === 'LW') return { kind: 'last-weekday' };
  const w = /^([0-9]+)W$/.exec(text);
  if (w) return { kind: 'nearest-weekday', day: value(w[1], FIELD_DOM) };
  if (text === '*') return { kind: 'set', values: parseSet('*', FIELD_DOM) };
  return { kind: 'set', values: parseSet(text, FIELD_DOM) };
}

function parseDow(text: string): DaySpec {
  if (text === '?') return { kind: 'any' };
  if (text === 'L') return { kind: 'set', values: new Set([7]) };
  const last = /^([0-9A-Za-z]+)L$/.exec(text);
  if (last) return { kind: 'last-of-week', dow: value(last[1], FIELD_DOW) };
  const nth = /^([0-9A-Za-z]+)#([0-9]+)$/.exec(text);
  if (nth) {
    const k = Number(nth[2]);
    if (k < 1 || k > 5) bad();
    return { kind: 'nth-of-week', dow: value(nth[1], FIELD_DOW), nth: k };
  }
  return { kind: 'set', values: parseSet(text, FIELD_DOW) };
}

/** Parses the six fields inside `cron( … )`; throws CronSyntaxError. */
export function parseCron(fields: string): Cron {
  const parts = fields.split(' ');
  if (parts.length !== 6) bad();
  const [min, hour, dom, month, dow, year] = parts;
  if ((dom === '?') === (dow === '?')) bad();
  return {
    minutes: [...parseSet(min, FIELD_MINUTES)].sort((a, b) => a - b),
    hours: [...parseSet(hour, FIELD_HOURS)].sort((a, b) => a - b),
    months: parseSet(month, FIELD_MONTH),
    years: parseSet(year, FIELD_YEAR),
    dom: parseDom(dom),
    dow: parseDow(dow),
  };
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** AWS numbering: 1 = Sunday … 7 = Saturday. */
function weekday(y: number, m: number, d: number): number {
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1;
}

function dayMatches(c: Cron, y: number, m: number, d: number): boolean {
  const last = daysInMonth(y, m);
  const dom = c.dom;
  switch (dom.kind) {
    case 'any':
      break;
    case 'set':
      if (!dom.values.has(d)) return false;
      break;
    case 'last':
      if (d !== last) return false;
      break;
    case 'last-weekday': {
      const wd = weekday(y, m, last);
      const target = wd === 7 ? last - 1 : wd === 1 ? last - 2 : last;
      if (d !== target) return false;
      break;
    }
    case 'nearest-weekday': {
      if (dom.day > last) return false;
      const wd = weekday(y, m, dom.day);
      let target = dom.day;
      if (wd === 7) target = dom.day === 1 ? 3 : dom.day - 1; // Saturday: Friday, or Monday the 3rd
      else if (wd === 1) target = dom.day === last ? dom.day - 2 : dom.day + 1; // Sunday: Monday, or Friday
      if (d !== target) return false;
      break;
    }
    default:
      return false;
  }
  const dow = c.dow;
  const wd = weekday(y, m, d);
  switch (dow.kind) {
    case 'any':
      return true;
    case 'set':
      return dow.values.has(wd);
    case 'last-of-week':
      return wd === dow.dow && d + 7 > last;
    case 'nth-of-week':
      return wd === dow.dow && Math.floor((d - 1) / 7) + 1 === dow.nth;
    default:
      return false;
  }
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/** The first firing time strictly after `afterMs` (UTC, on a whole minute), or null if none is left. */
export function nextCronTime(c: Cron, afterMs: number): number | null {
  const from = Math.floor(afterMs / MINUTE) * MINUTE + MINUTE;
  let day = Math.floor(from / DAY) * DAY;
  let minuteOfDay = (from - day) / MINUTE;
  const maxYear = Math.max(...c.years);
  for (;;) {
    const date = new Date(day);
    const y = date.getUTCFullYear();
    if (y > maxYear) return null;
    const m = date.getUTCMonth() + 1;
    const d = date.getUTCDate();
    if (!c.years.has(y)) {
      day = Date.UTC(y + 1, 0, 1);
      minuteOfDay = 0;
      continue;
    }
    if (!c.months.has(m)) {
      day = Date.UTC(y, m, 1);
      minuteOfDay = 0;
      continue;
    }
    if (dayMatches(c, y, m, d)) {
      const h0 = Math.floor(minuteOfDay / 60);
      const m0 = minuteOfDay % 60;
      for (const h of c.hours) {
        if (h < h0) continue;
        for (const mi of c.minutes) {
          if (h === h0 && mi < m0) continue;
          return day + (h * 60 + mi) * MINUTE;
        }
      }
    }
    day += DAY;
    minuteOfDay = 0;
  }
}
