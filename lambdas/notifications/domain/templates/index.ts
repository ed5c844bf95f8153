/**
 * The templates, by name: one per event type that reaches customers. An operator's direct send
 * names one of them with its data, or gives its own subject and body.
 */
import type { Channel } from '../channels';
import { UnknownTemplateError } from '../errors';
import { orderCancelled } from './order-cancelled';
import { orderConfirmed } from './order-confirmed';
import { paymentRefunded } from './payment-refunded';
import type { RenderContext, RenderedMessage, Template } from './types';

export type { RenderContext, RenderedMessage, Template } from './types';
export { orderCancelled, orderConfirmed, paymentRefunded };

export const TEMPLATES = {
  order_confirmed: orderConfirmed,
  order_cancelled: orderCancelled,
  payment_refunded: paymentRefunded,
} as const;

export type TemplateName = keyof typeof TEMPLATES;
export const TEMPLATE_NAMES = Object.keys(TEMPLATES) as TemplateName[];

export const isTemplateName = (name: string): name is TemplateName => Object.hasOwn(TEMPLATES, name);

/** Renders template `name` for `channel` from `data` that its schema accepts; throws UnknownTemplateError or the schema's ZodError. */
export function renderTemplate(name: string, data: unknown, channel: Channel, context: RenderContext): RenderedMessage {
  if (!isTemplateName(name)) throw new UnknownTemplateError(name, TEMPLATE_NAMES);
  const template = TEMPLATES[name] as Template<unknown>;
  return template.render(template.data.parse(data), channel, context);
}
