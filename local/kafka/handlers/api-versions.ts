/** ApiVersions: advertises the registry's version ranges. */
import { ErrorCode } from '../errors';
import type { ApiVersionsRequest, ApiVersionsResponse } from '../protocol/apiVersions/types';
import { supportedVersions } from '../protocol/registry';
import type { Handler } from './context';

export const handleApiVersions: Handler<ApiVersionsRequest, ApiVersionsResponse> = () => ({
  errorCode: ErrorCode.NONE,
  apiKeys: supportedVersions(),
  throttleTimeMs: 0,
});
