/**
 * ApiVersions v1 (v1 added throttle_time_ms; v2 is the same as v1).
 *
 * ApiVersions Request (Version: 1) =>
 *
 * ApiVersions Response (Version: 1) => error_code [api_keys] throttle_time_ms
 *   error_code => INT16
 *   api_keys => api_key min_version max_version
 *     api_key => INT16
 *     min_version => INT16
 *     max_version => INT16
 *   throttle_time_ms => INT32
 */
import { codec } from '../codec';
import type { ApiVersionsRequest, ApiVersionsResponse } from './types';
import { encodeApiKeys } from './v0';

export default codec<ApiVersionsRequest, ApiVersionsResponse>({
  apiKey: 18,
  version: 1,
  decodeRequest: () => ({}),
  encodeResponse: (w, res) => {
    encodeApiKeys(w, res);
    w.int32(res.throttleTimeMs);
  },
});
