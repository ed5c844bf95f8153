/**
 * What a template is: typed data (a zod schema, so that an operator's direct send is validated
 * with the same rules the events are read with) and one rendering per channel.
 */
import type { z } from 'zod';
import type { Channel } from '../channels';

/** Who the message is for, as far as the wording goes. */
export interface RenderContext {
  /** BCP 47; money and dates are formatted in it */
  locale: string;
  /** the customer's name, for the greeting, when known */
  name?: string;
}

/** One message, ready for its channel: email uses all three; SMS only `text`; push `subject` (its title) and `text`. */
export interface RenderedMessage {
  subject?: string;
  text: string;
  html?: string;
}

export interface Template<D> {
  name: string;
  description: string;
  data: z.ZodType<D>;
  render(data: D, channel: Channel, context: RenderContext): RenderedMessage;
}
