// Local Lambda runtime: functions run in worker-thread execution environments; plus the Lambda REST API handler.
export { LambdaRuntime, MAX_ASYNC_PAYLOAD, MAX_SYNC_PAYLOAD } from './runtime';
export { createLambdaApiHandler } from './api/index';
export { createConcurrencyApiHandler } from './api/concurrency';
export { LambdaServiceError, RequestTooLargeError, ResourceNotFoundError, RuntimeClosedError } from './errors';
export { newTraceHeader, continueTraceHeader } from './ids';
export type { FunctionSpec, InvokeResult, InvokeOptions, InvocationType, LambdaRuntimeOptions } from './types';
