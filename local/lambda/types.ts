// Public types of the local Lambda runtime: what the template deployer registers and what an invocation returns.

export const ACCOUNT_ID = '000000000000';
export const DEFAULT_REGION = 'us-east-1';

export interface FunctionSpec {
  /** Physical function name. */
  name: string;
  /** arn:aws:lambda:us-east-1:000000000000:function:NAME */
  arn: string;
  /** Absolute directory of the bundled asset (esbuild output, CommonJS: index.js). */
  codeDir: string;
  /** "index.handler" => require(codeDir/index.js).handler */
  handler: string;
  /** Already resolved by the deployer. */
  environment: Record<string, string>;
  /** Default 3. */
  timeoutSeconds: number;
  /** Default 128. */
  memoryMb: number;
  /** Max concurrent executions; undefined = account default (options.defaultConcurrency, 10). */
  reservedConcurrency?: number;
}

export type InvokeResult =
  | { status: 'ok'; payload: unknown; durationMs: number; coldStart: boolean; requestId: string; logs: string }
  | {
      status: 'error';
      errorType: string;
      errorMessage: string;
      trace: string[];
      durationMs: number;
      coldStart: boolean;
      requestId: string;
      logs: string;
    }
  | { status: 'timeout'; errorType: 'Sandbox.Timedout'; errorMessage: string; durationMs: number; requestId: string; logs: string }
  | { status: 'throttled'; errorType: 'TooManyRequestsException'; errorMessage: string; requestId: string };

export type InvocationType = 'RequestResponse' | 'Event';

export interface InvokeOptions {
  traceHeader?: string;
  clientContext?: string;
  invocationType?: InvocationType;
}

export interface LambdaRuntimeOptions {
  /** Concurrency cap of a function without reservedConcurrency (default 10). */
  defaultConcurrency?: number;
  /** Runtime diagnostics (cold starts, crashes, reaped workers). */
  log?: (m: string) => void;
  /** Every line a handler writes, as it arrives. */
  onLog?: (fn: string, line: string) => void;
  /** Idle execution environments are terminated after this long (default 5 minutes). */
  idleTimeoutMs?: number;
  /** A function's idle environments beyond its most recently used one go after this long (default 30 s). */
  extraIdleTimeoutMs?: number;
  /**
   * Execution environments alive at once, all functions together (default: no cap). At the cap a
   * new one replaces the idle environment used longest ago; when every one is busy, the
   * invocation waits (or is throttled, as over a function's own limit).
   */
  maxEnvironments?: number;
  /**
   * Over `defaultConcurrency`, a synchronous invocation of a function without reserved
   * concurrency waits for an environment instead of being throttled (default false). The
   * local cap protects the machine; AWS's account limit would have run the invocation.
   */
  queueOverLocalLimit?: boolean;
  /**
   * Execution environments starting at once, all functions together (default: no bound). AWS
   * scales a function up at a bounded rate, not all at once; on a laptop, 32 cold starts at once
   * on 2 cores each take 16 times as long as one, and every request of a burst waits for the
   * slowest. With a bound, an invocation that would start one more environment waits instead for
   * the first environment that becomes free (one that finished starting, or its invocation).
   */
  maxConcurrentColdStarts?: number;
  /**
   * Functions whose handlers average less than this (ms, default 1) may have an invocation queued right behind a
   * running one instead of starting a new environment; 0 turns this off.
   */
  shortFunctionMs?: number;
  /**
   * Where V8 code caches of the bundles persist across runs (cold starts then skip compiling);
   * without it they are kept in memory for this runtime's life.
   */
  codeCacheDir?: string;
  /**
   * Where the runtime sends the segments Lambda records for each invocation with active tracing
   * (the `AWS::Lambda` service segment and the `AWS::Lambda::Function` segment whose id the
   * function's X-Ray SDK gets as the Parent of `_X_AMZN_TRACE_ID`). None: no segments, and the
   * trace header is passed through as it came (tracing off).
   */
  tracing?: import('../xray').SegmentSink;
  /** Each invocation's outcome (the metrics Lambda publishes: Invocations, Errors, Throttles, Duration). */
  onInvoked?: (functionName: string, result: InvokeResult) => void;
}
