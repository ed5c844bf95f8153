/** What a Task state's Resource resolves to, and what the interpreter hands it. */

export type IntegrationPattern = 'request' | 'token' | 'sync';

export interface TaskCall {
  /** Parameters (JSONPath) or Arguments (JSONata), evaluated. */
  params: unknown;
  /** .waitForTaskToken: the token the task must be completed with. */
  token?: string;
  signal: AbortSignal;
  /** X-Amzn-Trace-Id style header of the execution (Root=...;Parent=...;Sampled=1). */
  traceHeader: string;
  executionArn: string;
  /** Task timeout in seconds, if any (the Lambda call is not cut short by it; the state is). */
  timeoutSeconds?: number;
}

export interface Integration {
  /** As AWS writes them in TaskScheduled: resourceType "lambda", resource "invoke.waitForTaskToken". */
  resourceType: string;
  resource: string;
  pattern: IntegrationPattern;
  /** A plain Lambda function ARN as Resource: LambdaFunction* history events, the function's raw result. */
  legacyLambda?: boolean;
  /** Runs the request (for .sync: starts the job); resolves its output, rejects with a StatesError. */
  call(c: TaskCall): Promise<unknown>;
  /** .sync: waits for the job started by call() to finish; resolves the task's output. */
  waitSync?(submitted: unknown, c: TaskCall): Promise<unknown>;
}

export interface IntegrationResolver {
  /** null when the resource ARN is not one this service can run. */
  resolve(resourceArn: string): Integration | null;
}
