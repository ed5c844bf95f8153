/** The emulator's state: what is persisted, and what each resource holds in memory. */
import type { CompiledPattern } from './pattern';
import type { Schedule } from './schedule';
import type { InputTransformer } from './transform';

export interface Target {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: InputTransformer;
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  DeadLetterConfig?: { Arn?: string };
  SqsParameters?: { MessageGroupId?: string };
  /** parameters of other target types, kept and listed back as given */
  [other: string]: unknown;
}

export interface Bus {
  name: string;
  arn: string;
  description?: string;
  kmsKeyIdentifier?: string;
  deadLetterConfig?: { Arn?: string };
  createdMs: number;
  modifiedMs: number;
}

export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

export interface Rule {
  name: string;
  bus: string;
  arn: string;
  eventPattern?: string;
  scheduleExpression?: string;
  state: RuleState;
  description?: string;
  roleArn?: string;
  createdMs: number;
  targets: Target[];
  /** rate schedules run from this minute; kept while the expression is unchanged */
  scheduleAnchorMs?: number;
  /** the last scheduled time an event was sent for */
  lastFiredMs?: number;
  // derived, not persisted
  compiled?: CompiledPattern;
  schedule?: Schedule;
}

export type ArchiveState = 'ENABLED' | 'DISABLED' | 'CREATING' | 'UPDATING' | 'CREATE_FAILED' | 'UPDATE_FAILED';

export interface Archive {
  name: string;
  arn: string;
  eventSourceArn: string;
  bus: string;
  description?: string;
  eventPattern?: string;
  retentionDays: number;
  state: ArchiveState;
  createdMs: number;
  // counted from the archive file, not persisted
  eventCount: number;
  sizeBytes: number;
  compiled?: CompiledPattern;
}

export type ReplayState = 'STARTING' | 'RUNNING' | 'CANCELLING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';

export interface Replay {
  name: string;
  arn: string;
  description?: string;
  archiveArn: string;
  archive: string;
  destination: { Arn: string; FilterArns?: string[] };
  eventStartMs: number;
  eventEndMs: number;
  state: ReplayState;
  stateReason?: string;
  replayStartMs: number;
  replayEndMs?: number;
  lastReplayedMs?: number;
}

/** A delivery that failed and waits for its next attempt (persisted, so a restart resumes it). */
export interface PendingDelivery {
  id: string;
  ruleArn: string;
  targetId: string;
  eventJson: string;
  ingestMs: number;
  replayName?: string;
  attempts: number;
  dueMs: number;
  lastError: { code: string; message: string };
}

export interface PersistedState {
  version: 1;
  buses: Bus[];
  rules: Array<Omit<Rule, 'compiled' | 'schedule'>>;
  archives: Array<Omit<Archive, 'eventCount' | 'sizeBytes' | 'compiled'>>;
  replays: Replay[];
  pending: PendingDelivery[];
  tags: Record<string, Array<{ Key: string; Value: string }>>;
}

/** An event as routed: its object, its exact JSON, and when it was received. */
export interface EventRecord {
  event: Record<string, unknown>;
  json: string;
  ingestMs: number;
}
