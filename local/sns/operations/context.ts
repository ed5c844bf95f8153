// What each SNS operation receives: the store, the account, the delivery fan-out, and the
// request's parameters read from the query protocol's form.
import { type Form, formList, formStringMap, formStructList, subForm } from '../../aws-shared/form';
import { invalidParameter } from '../errors';
import type { SnsMessageAttribute, Tag } from '../model';
import type { SnsStore } from '../store';
import type { Delivery } from '../delivery';

export interface SnsContext {
  store: SnsStore;
  region: string;
  accountId: string;
  now: () => number;
  edgeUrl: () => string;
  delivery: Delivery;
}

/** The parameters of one call, from the form (`Attributes.entry.N.key`, `Tags.member.N.Key`, ...). */
export class Params {
  constructor(readonly form: Form) {}

  static of(obj: Record<string, string | undefined>): Params {
    const f: Form = new Map();
    for (const [k, v] of Object.entries(obj)) if (v !== undefined) f.set(k, v);
    return new Params(f);
  }

  get(name: string): string | undefined {
    return this.form.get(name);
  }

  required(name: string): string {
    const v = this.form.get(name);
    if (v === undefined || v === '') throw invalidParameter(`${name} Reason: no value for required parameter`);
    return v;
  }

  bool(name: string): boolean {
    return this.form.get(name) === 'true';
  }

  map(name: string): Record<string, string> {
    return formStringMap(this.form, name);
  }

  list(name: string): string[] {
    return formList(this.form, name);
  }

  tags(name = 'Tags'): Tag[] {
    return formStructList(this.form, name).map((t) => ({ Key: t.get('Key') ?? '', Value: t.get('Value') ?? '' }));
  }

  messageAttributes(prefix = 'MessageAttributes'): Record<string, SnsMessageAttribute> | undefined {
    const entries = formStructList(this.form, prefix, 'entry');
    if (!entries.length) return undefined;
    const out: Record<string, SnsMessageAttribute> = {};
    for (const e of entries) {
      const name = e.get('Name');
      if (name === undefined) continue;
      const a: SnsMessageAttribute = { DataType: e.get('Value.DataType') ?? '' };
      const s = e.get('Value.StringValue');
      const b = e.get('Value.BinaryValue');
      if (s !== undefined) a.StringValue = s;
      if (b !== undefined) a.BinaryValue = b;
      out[name] = a;
    }
    return out;
  }

  /** Sub-parameters of a list of structures (`PublishBatchRequestEntries.member.N.*`). */
  structList(name: string): Params[] {
    return formStructList(this.form, name).map((f) => new Params(f));
  }

  sub(prefix: string): Params {
    return new Params(subForm(this.form, prefix));
  }
}

export type Operation = (ctx: SnsContext, p: Params) => unknown | Promise<unknown>;

export function arnParts(arn: string): string[] {
  return arn.split(':');
}

/** An opaque page token (the offset). */
export function paginate<T>(items: T[], token: string | undefined, size = 100): { items: T[]; next?: string } {
  let start = 0;
  if (token) {
    start = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw invalidParameter('NextToken');
  }
  const page = items.slice(start, start + size);
  return { items: page, next: start + size < items.length ? Buffer.from(String(start + size)).toString('base64url') : undefined };
}
