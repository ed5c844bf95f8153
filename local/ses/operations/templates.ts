// Email templates: CreateEmailTemplate, GetEmailTemplate, UpdateEmailTemplate, DeleteEmailTemplate,
// ListEmailTemplates, TestRenderEmailTemplate.
import { alreadyExists, badRequest, notFound } from '../errors';
import { renderedMime } from '../mime';
import { RenderingFailure, checkTemplateSyntax, parseTemplateData, render } from '../render';
import type { EmailTemplate } from '../store';
import { type SesContext, type Request, page, tags } from './context';

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

function content(v: unknown): { subject?: string; text?: string; html?: string } {
  if (!v || typeof v !== 'object') throw badRequest('TemplateContent is required.');
  const c = v as Record<string, unknown>;
  const out = {
    subject: typeof c.Subject === 'string' ? c.Subject : undefined,
    text: typeof c.Text === 'string' ? c.Text : undefined,
    html: typeof c.Html === 'string' ? c.Html : undefined,
  };
  if (out.subject === undefined) throw badRequest('The template must have a subject.');
  if (out.text === undefined && out.html === undefined) throw badRequest('The template must have a text or an HTML part.');
  if (Buffer.byteLength(`${out.subject}${out.text ?? ''}${out.html ?? ''}`) > 500 * 1024) throw badRequest('The template is larger than 500 KB.');
  checkTemplateSyntax(out);
  return out;
}

export function mustGetTemplate(ctx: SesContext, name: string): EmailTemplate {
  const t = ctx.store.templates.get(name);
  if (!t) throw notFound(`Template ${name} does not exist.`);
  return t;
}

export function putTemplate(ctx: SesContext, name: string, c: unknown, t: EmailTemplate['tags']): EmailTemplate {
  if (!NAME.test(name)) throw badRequest(`Invalid template name: ${name}. Use 1 to 64 letters, digits, underscores and hyphens.`);
  const existing = ctx.store.templates.get(name);
  const tpl: EmailTemplate = { name, ...content(c), tags: t, createdAt: existing?.createdAt ?? ctx.now() };
  ctx.store.putTemplate(tpl);
  return tpl;
}

export function createEmailTemplate(ctx: SesContext, req: Request): unknown {
  const name = req.body.TemplateName;
  if (typeof name !== 'string' || !name) throw badRequest('TemplateName is required.');
  if (ctx.store.templates.has(name)) throw alreadyExists(`Template ${name} already exists.`);
  putTemplate(ctx, name, req.body.TemplateContent, tags(req.body.Tags));
  return {};
}

export function getEmailTemplate(ctx: SesContext, req: Request): unknown {
  const t = mustGetTemplate(ctx, req.params.TemplateName!);
  const c: Record<string, string> = { Subject: t.subject ?? '' };
  if (t.text !== undefined) c.Text = t.text;
  if (t.html !== undefined) c.Html = t.html;
  return { TemplateName: t.name, TemplateContent: c, Tags: t.tags };
}

export function updateEmailTemplate(ctx: SesContext, req: Request): unknown {
  const t = mustGetTemplate(ctx, req.params.TemplateName!);
  putTemplate(ctx, t.name, req.body.TemplateContent, t.tags);
  return {};
}

export function deleteEmailTemplate(ctx: SesContext, req: Request): unknown {
  const t = mustGetTemplate(ctx, req.params.TemplateName!);
  ctx.store.deleteTemplate(t.name);
  return {};
}

export function listEmailTemplates(ctx: SesContext, req: Request): unknown {
  const all = [...ctx.store.templates.values()].sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name));
  const p = page(all, { NextToken: req.query.get('NextToken'), PageSize: req.query.get('PageSize') }, 100);
  const out: Record<string, unknown> = { TemplatesMetadata: p.items.map((t) => ({ TemplateName: t.name, CreatedTimestamp: t.createdAt / 1000 })) };
  if (p.next) out.NextToken = p.next;
  return out;
}

export function testRenderEmailTemplate(ctx: SesContext, req: Request): unknown {
  const t = mustGetTemplate(ctx, req.params.TemplateName!);
  if (req.body.TemplateData === undefined) throw badRequest('TemplateData is required.');
  try {
    const r = render(t, parseTemplateData(req.body.TemplateData));
    return { RenderedTemplate: renderedMime(r.subject, r.text, r.html) };
  } catch (err) {
    if (err instanceof RenderingFailure) throw badRequest(err.message);
    throw err;
  }
}
