/**
 * Template rendering as SES does it: Handlebars (SES's templates are Handlebars templates, with
 * `{{#if}}`, `{{#each}}`, `{{#unless}}`, `{{#with}}` and nested `{{a.b}}` paths), compiled with
 * the `handlebars` library rather than a substitution of our own.
 *
 * - A variable the data does not have is a rendering failure, as on SES ("Attribute 'x' is not
 *   present in the rendering data."); inside `{{#if}}` a missing value is simply false.
 * - The HTML part escapes values (`{{x}}`; `{{{x}}}` for raw HTML); the subject and the text part
 *   do not.
 */
import Handlebars from 'handlebars';
import { badRequest } from './errors';

export interface RenderedContent {
  subject?: string;
  text?: string;
  html?: string;
}

const hb = Handlebars.create();
const cache = new Map<string, HandlebarsTemplateDelegate>();

function compile(source: string, escape: boolean): HandlebarsTemplateDelegate {
  const key = `${escape ? 'h' : 't'}\u0000${source}`;
  let fn = cache.get(key);
  if (!fn) {
    fn = hb.compile(source, { strict: true, noEscape: !escape });
    if (cache.size > 500) cache.clear();
    cache.set(key, fn);
  }
  return fn;
}

export class RenderingFailure extends Error {}

function renderOne(source: string | undefined, data: Record<string, unknown>, escape: boolean): string | undefined {
  if (source === undefined) return undefined;
  try {
    return compile(source, escape)(data);
  } catch (err) {
    const m = /"([^"]+)" not defined in/.exec((err as Error).message);
    if (m) throw new RenderingFailure(`Attribute '${m[1]}' is not present in the rendering data.`);
    throw new RenderingFailure(`Template could not be rendered: ${(err as Error).message.split('\n')[0]}`);
  }
}

export function parseTemplateData(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null || raw === '') return {};
  if (typeof raw !== 'string') throw badRequest('TemplateData must be a string.');
  if (Buffer.byteLength(raw) > 262144) throw badRequest('Template data must be less than 262144 bytes.');
  try {
    const v = JSON.parse(raw) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch {
    throw badRequest('Invalid template data: the value of TemplateData must be a JSON object.');
  }
}

/** Checks that a template compiles (CreateEmailTemplate refuses one that does not). */
export function checkTemplateSyntax(parts: RenderedContent): void {
  for (const [name, source] of Object.entries(parts)) {
    if (source === undefined) continue;
    try {
      hb.precompile(source);
    } catch (err) {
      throw badRequest(`Template ${name} is not a valid Handlebars template: ${(err as Error).message.split('\n')[0]}`);
    }
  }
}

export function render(parts: RenderedContent, data: Record<string, unknown>): RenderedContent {
  return { subject: renderOne(parts.subject, data, false), text: renderOne(parts.text, data, false), html: renderOne(parts.html, data, true) };
}
