// Public types of the local API Gateway (REST API, v1): the specs the template deployer produces and the server handle.
import type { InvokeResult } from '../lambda';

export interface ThrottleSettings {
  /** Steady-state requests per second. */
  rateLimit: number;
  /** Bucket capacity. */
  burstLimit: number;
}

export interface QuotaSettings {
  limit: number;
  period: 'DAY' | 'WEEK' | 'MONTH';
  /** Requests subtracted from the limit in the initial period. */
  offset?: number;
}

export interface RestApiSpec {
  id: string;
  name: string;
  stageName: string;
  resources: Array<{ path: string /* "/api/inventory/{product_id}" */; methods: MethodSpec[] }>;
  apiKeys: Array<{ id: string; name: string; value: string; enabled: boolean }>;
  usagePlans: Array<{
    id: string;
    name: string;
    throttle?: ThrottleSettings;
    quota?: QuotaSettings;
    apiStages: Array<{ apiId: string; stage: string; throttle?: Record<string /* "/api/inventory/{product_id}/GET" */, ThrottleSettings> }>;
    keyIds: string[];
  }>;
  /** Stage-level default method throttling, if any. */
  stageThrottle?: ThrottleSettings;
}

export type IntegrationSpec =
  | { type: 'AWS_PROXY'; functionName: string; timeoutMs?: number /* default 29000 */ }
  | { type: 'MOCK'; statusCode: number; body: string };

export interface MethodSpec {
  /** GET, POST, ..., ANY */
  httpMethod: string;
  apiKeyRequired: boolean;
  integration: IntegrationSpec;
  /** "method.request.querystring.limit": true => required */
  requestParameters?: Record<string, boolean>;
  requestValidator?: { validateRequestBody: boolean; validateRequestParameters: boolean };
  /** JSON schema (draft-4) for application/json bodies. */
  requestModel?: object;
}

export type InvokeFn = (functionName: string, event: unknown, opts: { traceHeader: string }) => Promise<InvokeResult>;

export interface ApiGatewayOptions {
  host?: string;
  /** 0 = ephemeral */
  port?: number;
  apis: RestApiSpec[];
  invoke: InvokeFn;
  log?: (m: string) => void;
  /** Clock (epoch ms) for throttling and quotas; Date.now by default. */
  now?: () => number;
  /** File where quota counters persist across restarts. */
  statePath?: string;
  /**
   * Where the stage's X-Ray segments go (active tracing): one segment per request, named
   * `<api>/<stage>`, with a subsegment for the Lambda call whose id the function's trace header
   * carries as Parent. None: tracing off (the trace header is still passed on).
   */
  tracing?: import('../xray').SegmentSink;
  /** Each request's outcome (the metrics API Gateway publishes: Count, 4XXError, 5XXError, Latency, IntegrationLatency). */
  onRequest?: (r: { apiName: string; stage: string; status: number; latencyMs: number; integrationLatencyMs?: number }) => void;
}

export interface ApiGatewayHandle {
  url: string;
  port: number;
  close(): Promise<void>;
}
