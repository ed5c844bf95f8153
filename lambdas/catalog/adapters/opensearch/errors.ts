/** How the catalog reads OpenSearch's error answers (the client throws ResponseError with the status and body). */
import { errors } from '@opensearch-project/opensearch';

export function statusOf(err: unknown): number | undefined {
  return err instanceof errors.ResponseError ? err.statusCode : undefined;
}

export function errorTypeOf(err: unknown): string | undefined {
  if (!(err instanceof errors.ResponseError)) return undefined;
  const body = err.body as { error?: { type?: string } | string } | undefined;
  return typeof body?.error === 'object' ? body.error.type : undefined;
}

export const isIndexMissing = (err: unknown): boolean => statusOf(err) === 404 && errorTypeOf(err) === 'index_not_found_exception';
