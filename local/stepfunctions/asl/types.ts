/** Amazon States Language shapes, as loose as the language (definitions are validated before use). */

export type QueryLanguage = 'JSONPath' | 'JSONata';

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
  Comment?: string;
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
  Output?: unknown;
  Assign?: Record<string, unknown>;
  Comment?: string;
}

export interface StateDef {
  Type: 'Pass' | 'Task' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map';
  Comment?: string;
  QueryLanguage?: QueryLanguage;
  Next?: string;
  End?: boolean;
  InputPath?: string | null;
  OutputPath?: string | null;
  ResultPath?: string | null;
  Parameters?: unknown;
  ResultSelector?: unknown;
  Arguments?: unknown;
  Output?: unknown;
  Assign?: Record<string, unknown>;
  Result?: unknown;
  Retry?: Retrier[];
  Catch?: Catcher[];
  // Task
  Resource?: string;
  TimeoutSeconds?: number | string;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number | string;
  HeartbeatSecondsPath?: string;
  Credentials?: unknown;
  // Choice
  Choices?: Record<string, unknown>[];
  Default?: string;
  // Wait
  Seconds?: number | string;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
  // Fail
  Error?: string;
  ErrorPath?: string;
  Cause?: string;
  CausePath?: string;
  // Parallel
  Branches?: BranchDef[];
  // Map
  Iterator?: BranchDef;
  ItemProcessor?: BranchDef & { ProcessorConfig?: { Mode?: 'INLINE' | 'DISTRIBUTED'; ExecutionType?: string } };
  ItemsPath?: string;
  Items?: unknown;
  ItemSelector?: unknown;
  ItemReader?: unknown;
  ItemBatcher?: unknown;
  ResultWriter?: unknown;
  MaxConcurrency?: number | string;
  MaxConcurrencyPath?: string;
  ToleratedFailureCount?: number | string;
  ToleratedFailureCountPath?: string;
  ToleratedFailurePercentage?: number | string;
  ToleratedFailurePercentagePath?: string;
  Label?: string;
}

export interface BranchDef {
  StartAt: string;
  States: Record<string, StateDef>;
  QueryLanguage?: QueryLanguage;
  Comment?: string;
}

export interface Definition extends BranchDef {
  Version?: string;
  TimeoutSeconds?: number;
}
