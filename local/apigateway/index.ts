// Local API Gateway (REST API v1): routing, API keys, usage plans, throttling, quotas, request validation and the
// Lambda proxy integration, served over HTTP.
export { createApiGateway, Gateway } from './server';
export { MAX_BODY_BYTES } from './http-io';
export { Router, RouteConfigError, splitPath } from './router';
export type { RouteMatch, CompiledMethod, CompiledResource } from './router';
export { TokenBucket, takeAll } from './token-bucket';
export { QuotaStore, periodBounds } from './quota-store';
export { buildProxyEvent, mapProxyResponse } from './proxy';
export * from './responses';
export type {
  ApiGatewayHandle,
  ApiGatewayOptions,
  IntegrationSpec,
  InvokeFn,
  MethodSpec,
  QuotaSettings,
  RestApiSpec,
  ThrottleSettings,
} from './types';
