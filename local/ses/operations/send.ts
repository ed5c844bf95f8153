/**
 * SendEmail (Simple, Raw and Template content) and SendBulkEmail.
 *
 * The checks, in SES's order: content present and well formed; a sender address; recipients
 * (1 to 50); the sender verified (a verified address, or an address in a verified domain),
 * else `MessageRejected` as SES answers; in the sandbox, the recipients verified too; a named
 * configuration set that exists; the template and its data; the size (10 MB).
 * What is sent is recorded for /_aws/ses in LocalStack's shape.
 */
import { randomUUID } from 'node:crypto';
import { bareAddress, checkAddress, domainOf } from '../addresses';
import { SesError, badRequest, messageRejected, notFound } from '../errors';
import { parseRawHeaders } from '../mime';
import { RenderingFailure, parseTemplateData, render } from '../render';
import type { SentEmail } from '../store';
import { type SesContext, type Request } from './context';
import { mustGetTemplate } from './templates';

const MAX_RECIPIENTS = 50;
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
const TAG = /^[A-Za-z0-9_-]{1,256}$/;
const TAG_VALUE = /^[A-Za-z0-9_\-.@]{0,256}$/;

type Destination = { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };

export function messageId(): string {
  return `${Date.now().toString(16).padStart(16, '0')}-${randomUUID()}-000000`;
}

function list(v: unknown, field: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw badRequest(`${field} must be a list of addresses.`);
  return v as string[];
}

function destination(v: unknown): Destination | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object') throw badRequest('Destination must be an object.');
  const d = v as Record<string, unknown>;
  const out: Destination = {};
  for (const k of ['ToAddresses', 'CcAddresses', 'BccAddresses'] as const) {
    const l = list(d[k], k);
    for (const a of l) checkAddress(a, k);
    if (l.length) out[k] = l;
  }
  return out;
}

function recipients(d: Destination | undefined): string[] {
  return [...(d?.ToAddresses ?? []), ...(d?.CcAddresses ?? []), ...(d?.BccAddresses ?? [])];
}

function emailTags(v: unknown): Array<{ Name: string; Value: string }> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw badRequest('EmailTags must be a list.');
  for (const t of v as Array<{ Name?: unknown; Value?: unknown }>) {
    if (typeof t?.Name !== 'string' || !t.Name) throw badRequest('The tag name must be specified.');
    if (typeof t.Value !== 'string') throw badRequest('The tag value must be specified.');
    if (!TAG.test(t.Name.replace(/^ses:/, ''))) throw badRequest(`Invalid tag name <${t.Name}>: only alphanumeric ASCII characters, '_', '-' are allowed.`);
    if (!TAG_VALUE.test(t.Value)) throw badRequest(`Invalid tag value <${t.Value}>: only alphanumeric ASCII characters, '_', '-', '.', '@' are allowed.`);
  }
  return (v as Array<{ Name: string; Value: string }>).map((t) => ({ Name: t.Name, Value: t.Value }));
}

function isVerified(ctx: SesContext, address: string): boolean {
  const addr = address.toLowerCase();
  return ctx.store.identities.has(addr) || ctx.store.identities.has(domainOf(addr));
}

function checkSender(ctx: SesContext, from: string, to: string[]): void {
  const failed = [from].filter((a) => !isVerified(ctx, a));
  if (ctx.sandbox) failed.push(...to.map((a) => bareAddress(a)!).filter((a) => !isVerified(ctx, a)));
  if (failed.length)
    throw messageRejected(`Email address is not verified. The following identities failed the check in region ${ctx.region.toUpperCase()}: ${failed.join(', ')}`);
}

function checkConfigurationSet(ctx: SesContext, name: unknown): string | undefined {
  if (name === undefined || name === null) return undefined;
  if (typeof name !== 'string' || !ctx.store.configurationSets.has(name)) throw notFound(`Configuration set <${String(name)}> does not exist.`);
  return name;
}

function templateOf(ctx: SesContext, t: Record<string, unknown>): { name?: string; subject?: string; text?: string; html?: string } {
  if (t.TemplateContent && typeof t.TemplateContent === 'object') {
    const c = t.TemplateContent as Record<string, string | undefined>;
    return { subject: c.Subject, text: c.Text, html: c.Html };
  }
  const arn = typeof t.TemplateArn === 'string' ? t.TemplateArn : undefined;
  const name = typeof t.TemplateName === 'string' ? t.TemplateName : arn?.split(':template/').pop();
  if (!name) throw badRequest('Template must have a TemplateName, a TemplateArn or a TemplateContent.');
  const tpl = mustGetTemplate(ctx, name);
  return { name, subject: tpl.subject, text: tpl.text, html: tpl.html };
}

interface Prepared {
  record: Omit<SentEmail, 'Id' | 'Timestamp' | 'Region'>;
  size: number;
}

function renderTemplate(tpl: ReturnType<typeof templateOf>, data: Record<string, unknown>): { Subject?: string; Body: { text_part: string | null; html_part: string | null } } {
  try {
    const r = render(tpl, data);
    return { Subject: r.subject, Body: { text_part: r.text ?? null, html_part: r.html ?? null } };
  } catch (err) {
    // SES accepts the message and drops it with a Rendering Failure event; locally the caller
    // learns at once, which is what a developer wants to see
    if (err instanceof RenderingFailure) throw messageRejected(`Rendering failure: ${err.message}`);
    throw err;
  }
}

/** Content, sender and recipients of one SendEmail, checked; what to record. */
function prepare(ctx: SesContext, body: Record<string, unknown>): Prepared {
  const content = body.Content as Record<string, unknown> | undefined;
  if (!content || typeof content !== 'object') throw badRequest('Content is required.');
  const kinds = ['Simple', 'Raw', 'Template'].filter((k) => content[k] !== undefined && content[k] !== null);
  if (kinds.length !== 1) throw badRequest('Content must have exactly one of Simple, Raw or Template.');
  let dest = destination(body.Destination);
  let from = typeof body.FromEmailAddress === 'string' ? body.FromEmailAddress : undefined;
  const record: Prepared['record'] = { Source: '' };
  let size = 0;
  if (kinds[0] === 'Raw') {
    const data = (content.Raw as Record<string, unknown>).Data;
    if (typeof data !== 'string' || !data) throw badRequest('Raw message data is required.');
    const raw = Buffer.from(data, 'base64');
    size = raw.length;
    const text = raw.toString('utf8');
    const h = parseRawHeaders(text);
    from ??= h.from;
    if (!from) throw messageRejected('Missing required header \'From\'.');
    if (!dest || recipients(dest).length === 0) {
      dest = {};
      if (h.to.length) dest.ToAddresses = h.to;
      if (h.cc.length) dest.CcAddresses = h.cc;
      if (h.bcc.length) dest.BccAddresses = h.bcc;
    }
    record.RawData = text;
    if (h.subject !== undefined) record.Subject = h.subject;
  } else if (kinds[0] === 'Simple') {
    const s = content.Simple as Record<string, Record<string, Record<string, unknown>> | Record<string, unknown>>;
    const subject = (s.Subject as Record<string, unknown> | undefined)?.Data;
    if (typeof subject !== 'string') throw badRequest('Subject is required.');
    const b = s.Body as Record<string, Record<string, unknown>> | undefined;
    const text = b?.Text?.Data;
    const html = b?.Html?.Data;
    if (typeof text !== 'string' && typeof html !== 'string') throw badRequest('Body must have Text or Html data.');
    record.Subject = subject;
    record.Body = { text_part: typeof text === 'string' ? text : null, html_part: typeof html === 'string' ? html : null };
    size = Buffer.byteLength(subject) + Buffer.byteLength(String(text ?? '')) + Buffer.byteLength(String(html ?? ''));
  } else {
    const t = content.Template as Record<string, unknown>;
    const tpl = templateOf(ctx, t);
    const rawData = typeof t.TemplateData === 'string' ? t.TemplateData : '{}';
    const rendered = renderTemplate(tpl, parseTemplateData(rawData));
    if (tpl.name) record.Template = tpl.name;
    record.TemplateData = rawData;
    if (rendered.Subject !== undefined) record.Subject = rendered.Subject;
    record.Body = rendered.Body;
    size = Buffer.byteLength(`${rendered.Subject ?? ''}${rendered.Body.text_part ?? ''}${rendered.Body.html_part ?? ''}`);
  }
  if (!from) throw badRequest('Missing FromEmailAddress.');
  checkAddress(from, 'FromEmailAddress');
  const to = recipients(dest);
  if (to.length === 0) throw badRequest("Missing required header 'To'.");
  if (to.length > MAX_RECIPIENTS) throw badRequest(`Recipient count exceeds ${MAX_RECIPIENTS}.`);
  const replyTo = list(body.ReplyToAddresses, 'ReplyToAddresses');
  for (const a of replyTo) checkAddress(a, 'ReplyToAddresses');
  size += to.reduce((n, a) => n + a.length + 2, 0) + from.length;
  if (size > MAX_MESSAGE_BYTES) throw badRequest(`Message length is more than ${MAX_MESSAGE_BYTES} bytes long: '${size}'.`);
  checkSender(ctx, bareAddress(from)!, to);
  record.Source = from;
  record.Destination = dest;
  if (replyTo.length) record.ReplyToAddresses = replyTo;
  const cs = checkConfigurationSet(ctx, body.ConfigurationSetName);
  if (cs) record.ConfigurationSetName = cs;
  const tagsList = emailTags(body.EmailTags);
  if (tagsList?.length) record.EmailTags = tagsList;
  return { record, size };
}

function deliver(ctx: SesContext, record: Prepared['record']): string {
  const id = messageId();
  // the key order follows LocalStack's records
  const sent: SentEmail = { Id: id, Region: ctx.region, ...record, Timestamp: new Date(ctx.now()).toISOString() };
  ctx.store.addSent(sent);
  return id;
}

export function sendEmail(ctx: SesContext, req: Request): unknown {
  const { record } = prepare(ctx, req.body);
  return { MessageId: deliver(ctx, record) };
}

export function sendBulkEmail(ctx: SesContext, req: Request): unknown {
  const body = req.body;
  const def = (body.DefaultContent as Record<string, unknown> | undefined)?.Template as Record<string, unknown> | undefined;
  if (!def) throw badRequest('DefaultContent with a Template is required.');
  const entries = body.BulkEmailEntries;
  if (!Array.isArray(entries) || entries.length === 0) throw badRequest('BulkEmailEntries is required.');
  if (entries.length > 50) throw badRequest('The number of BulkEmailEntries must be at most 50.');
  const tpl = templateOf(ctx, def);
  const defaultData = parseTemplateData(typeof def.TemplateData === 'string' ? def.TemplateData : '{}');
  const from = body.FromEmailAddress;
  checkAddress(from, 'FromEmailAddress');
  checkSender(ctx, bareAddress(from as string)!, []);
  const cs = checkConfigurationSet(ctx, body.ConfigurationSetName);
  const results = (entries as Array<Record<string, unknown>>).map((e) => {
    try {
      if (!e || typeof e !== 'object') throw badRequest('A BulkEmailEntry must be an object.');
      const replacement = ((e.ReplacementEmailContent as Record<string, unknown> | undefined)?.ReplacementTemplate as Record<string, unknown> | undefined)?.ReplacementTemplateData;
      const data = { ...defaultData, ...parseTemplateData(replacement ?? '{}') };
      const dest = destination(e.Destination);
      const to = recipients(dest);
      if (to.length === 0) throw badRequest("Missing required header 'To'.");
      if (to.length > MAX_RECIPIENTS) throw badRequest(`Recipient count exceeds ${MAX_RECIPIENTS}.`);
      if (ctx.sandbox) checkSender(ctx, bareAddress(from as string)!, to);
      const rendered = renderTemplate(tpl, data);
      const record: Prepared['record'] = { Source: from as string, Destination: dest };
      if (tpl.name) record.Template = tpl.name;
      record.TemplateData = JSON.stringify(data);
      if (rendered.Subject !== undefined) record.Subject = rendered.Subject;
      record.Body = rendered.Body;
      if (cs) record.ConfigurationSetName = cs;
      const tagsList = emailTags(e.ReplacementTags ?? body.DefaultEmailTags);
      if (tagsList?.length) record.EmailTags = tagsList;
      return { Status: 'SUCCESS', MessageId: deliver(ctx, record) };
    } catch (err) {
      if (!(err instanceof SesError)) throw err;
      return { Status: err.type === 'MessageRejected' ? 'MESSAGE_REJECTED' : 'INVALID_PARAMETER', Error: err.message };
    }
  });
  return { BulkEmailEntryResults: results };
}
