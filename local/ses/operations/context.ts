// What each SES operation receives: the store, the account's settings, and the request's parts.
import type { SesStore, Tag } from '../store';
import { SesError, badRequest } from '../errors';

export interface SesContext {
  store: SesStore;
  region: string;
  accountId: string;
  now: () => number;
  /** sandbox: recipients must be verified too, and the sandbox quota applies */
  sandbox: boolean;
}

export interface Request {
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

export type Operation = (ctx: SesContext, req: Request) => unknown;

export function tags(v: unknown): Tag[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw badRequest('Tags must be a list.');
  for (const t of v as Tag[]) {
    if (!t || typeof t.Key !== 'string' || !t.Key || t.Key.length > 128 || typeof t.Value !== 'string' || t.Value.length > 256)
      throw badRequest('Tags must have a Key of 1 to 128 characters and a Value of at most 256.');
  }
  return (v as Tag[]).map((t) => ({ Key: t.Key, Value: t.Value }));
}

/** SES pages lists with an opaque token; ours is the offset. */
export function page<T>(items: T[], query: { NextToken?: unknown; PageSize?: unknown }, max = 1000): { items: T[]; next?: string } {
  let start = 0;
  if (query.NextToken !== undefined && query.NextToken !== null && query.NextToken !== '') {
    start = Number(Buffer.from(String(query.NextToken), 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw new SesError('InvalidNextTokenException', 'The NextToken is not valid.', 400);
  }
  const size = query.PageSize === undefined || query.PageSize === null || query.PageSize === '' ? max : Number(query.PageSize);
  if (!Number.isInteger(size) || size < 1 || size > max) throw badRequest(`PageSize must be between 1 and ${max}.`);
  const slice = items.slice(start, start + size);
  return { items: slice, next: start + size < items.length ? Buffer.from(String(start + size), 'utf8').toString('base64url') : undefined };
}
