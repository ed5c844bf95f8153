/** The frame every email shares (greeting, sign-off, HTML shell) and the shop's name. */
import { html, type Markup } from '../format';
import type { RenderContext } from './types';

export const SHOP_NAME = 'Ecommerce Shop';

export const greeting = (ctx: RenderContext) => (ctx.name ? `Hi ${ctx.name},` : 'Hello,');

/** A text email: greeting, paragraphs, sign-off. */
export function textEmail(ctx: RenderContext, paragraphs: string[]): string {
  return [greeting(ctx), ...paragraphs, `— ${SHOP_NAME}`].join('\n\n') + '\n';
}

/** An HTML email: a plain single-column page with inline styles (mail clients drop style sheets). */
export function htmlEmail(ctx: RenderContext, title: string, body: Markup): string {
  return html`<!DOCTYPE html>
<html lang="${ctx.locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head>
<body style="margin:0;padding:24px;background:#f6f6f6;font-family:Helvetica,Arial,sans-serif;color:#222">
<div style="max-width:560px;margin:0 auto;background:#fff;padding:24px;border-radius:6px">
<h1 style="font-size:20px;margin:0 0 16px">${title}</h1>
<p>${greeting(ctx)}</p>
${body}
<p style="color:#777;font-size:12px;margin-top:32px">${SHOP_NAME}</p>
</div>
</body>
</html>
`.value;
}
