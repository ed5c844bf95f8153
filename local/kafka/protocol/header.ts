/**
 * Request and response headers. Every API version this broker implements is a non-flexible
 * one, so requests carry header v1 and responses header v0:
 *
 * Request Header v1 => request_api_key request_api_version correlation_id client_id
 *   request_api_key => INT16
 *   request_api_version => INT16
 *   correlation_id => INT32
 *   client_id => NULLABLE_STRING
 *
 * Response Header v0 => correlation_id
 *   correlation_id => INT32
 */
import type { Reader } from './reader';
import type { Writer } from './writer';

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

export function decodeRequestHeader(r: Reader): RequestHeader {
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  const clientId = r.nullableString();
  return { apiKey, apiVersion, correlationId, clientId };
}

export function encodeResponseHeader(w: Writer, correlationId: number): void {
  w.int32(correlationId);
}
