/**
 * ApiVersions v0.
 *
 * ApiVersions Request (Version: 0) =>
 *
 * ApiVersions Response (Version: 0) => error_code [api_keys]
 *   error_code => INT16
 *   api_keys => api_key min_version max_version
 *     api_key => INT16
 *     min_version => INT16
 *     max_version => INT16
 *
 * This is also the format Kafka answers an ApiVersions request of a version it does not know
 * with (error_code UNSUPPORTED_VERSION), whatever version was asked for.
 */
import { codec } from '../codec';
import type { Writer } from '../writer';
import type { ApiVersionsRequest, ApiVersionsResponse } from './types';

export function encodeApiKeys(w: Writer, res: ApiVersionsResponse): void {
  w.int16(res.errorCode);
  w.array(res.apiKeys, (w, k) => {
    w.int16(k.apiKey).int16(k.minVersion).int16(k.maxVersion);
  });
}

export default codec<ApiVersionsRequest, ApiVersionsResponse>({
  apiKey: 18,
  version: 0,
  decodeRequest: () => ({}),
  encodeResponse: encodeApiKeys,
});
