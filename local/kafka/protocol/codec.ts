/**
 * The shape of one API version's codec: it decodes that version's request body into the
 * API's version-independent request type and encodes the API's response type in that
 * version's wire format. Handlers (handlers/*.ts) only see the version-independent types.
 */
import type { Reader } from './reader';
import type { Writer } from './writer';

export interface Codec<Req, Res> {
  readonly apiKey: number;
  readonly version: number;
  decodeRequest(r: Reader): Req;
  encodeResponse(w: Writer, res: Res): void;
}

export function codec<Req, Res>(c: Codec<Req, Res>): Codec<Req, Res> {
  return c;
}
