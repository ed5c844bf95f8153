/**
 * Queue attributes: which exist, which can be set, their ranges and defaults, as the SQS API
 * reference lists them (CreateQueue, SetQueueAttributes, GetQueueAttributes). Validation is data:
 * one entry per settable attribute.
 */
import { invalidAttributeName, invalidAttributeValue, invalidParameterValue } from './errors';

type Check = (v: string, fifo: boolean) => boolean;

const int = (min: number, max: number): Check => (v) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max;
const bool: Check = (v) => v === 'true' || v === 'false';
const json: Check = (v) => {
  if (v === '') return true;
  try {
    return typeof JSON.parse(v) === 'object';
  } catch {
    return false;
  }
};
const oneOf = (...values: string[]): Check => (v) => values.includes(v);

interface Spec {
  check: Check;
  fifoOnly?: boolean;
  /** may only be given at creation */
  createOnly?: boolean;
}

export const SETTABLE: Record<string, Spec> = {
  DelaySeconds: { check: int(0, 900) },
  MaximumMessageSize: { check: int(1024, 1048576) },
  MessageRetentionPeriod: { check: int(60, 1209600) },
  ReceiveMessageWaitTimeSeconds: { check: int(0, 20) },
  VisibilityTimeout: { check: int(0, 43200) },
  Policy: { check: json },
  RedrivePolicy: { check: json },
  RedriveAllowPolicy: { check: json },
  KmsMasterKeyId: { check: () => true },
  KmsDataKeyReusePeriodSeconds: { check: int(60, 86400) },
  SqsManagedSseEnabled: { check: bool },
  FifoQueue: { check: bool, createOnly: true },
  ContentBasedDeduplication: { check: bool, fifoOnly: true },
  DeduplicationScope: { check: oneOf('messageGroup', 'queue'), fifoOnly: true },
  FifoThroughputLimit: { check: oneOf('perQueue', 'perMessageGroupId'), fifoOnly: true },
};

export const READ_ONLY = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
];

export function defaults(fifo: boolean): Record<string, string> {
  const d: Record<string, string> = {
    VisibilityTimeout: '30',
    MaximumMessageSize: '1048576',
    MessageRetentionPeriod: '345600',
    DelaySeconds: '0',
    ReceiveMessageWaitTimeSeconds: '0',
    SqsManagedSseEnabled: 'true',
  };
  if (fifo) Object.assign(d, { FifoQueue: 'true', ContentBasedDeduplication: 'false', DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue' });
  return d;
}

/** Checks names and values; throws as SQS does. `creating` allows the create-only ones. */
export function validateAttributes(attrs: Record<string, string>, fifo: boolean, creating: boolean): void {
  for (const [name, value] of Object.entries(attrs)) {
    const spec = SETTABLE[name];
    if (!spec) throw invalidAttributeName(`Unknown Attribute ${name}.`);
    if (typeof value !== 'string') throw invalidAttributeValue(`Invalid value for the parameter ${name}.`);
    if (spec.createOnly && !creating) throw invalidAttributeName(`Unknown Attribute ${name}.`);
    if (spec.fifoOnly && !fifo) throw invalidAttributeName(`Unknown Attribute ${name}.`);
    if (!spec.check(value, fifo)) throw invalidAttributeValue(`Invalid value for the parameter ${name}.`);
  }
}

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** Parses a RedrivePolicy attribute (maxReceiveCount may be a string or a number, as AWS accepts). */
export function parseRedrivePolicy(value: string | undefined): RedrivePolicy | undefined {
  if (!value) return undefined;
  const bad = (reason: string) => invalidParameterValue(`Value ${value} for parameter RedrivePolicy is invalid. Reason: ${reason}`);
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(value) as Record<string, unknown>;
  } catch {
    throw bad('Redrive policy is not a valid JSON map.');
  }
  const arn = doc.deadLetterTargetArn;
  const max = Number(doc.maxReceiveCount);
  if (typeof arn !== 'string' || !arn) throw bad('Redrive policy does not contain mandatory attribute: deadLetterTargetArn.');
  if (doc.maxReceiveCount === undefined) throw bad('Redrive policy does not contain mandatory attribute: maxReceiveCount.');
  if (!Number.isInteger(max) || max < 1 || max > 1000) throw bad('Invalid value for maxReceiveCount: must be an integer from 1 to 1000.');
  return { deadLetterTargetArn: arn, maxReceiveCount: max };
}

export interface RedriveAllowPolicy {
  redrivePermission: 'allowAll' | 'denyAll' | 'byQueue';
  sourceQueueArns: string[];
}

export function parseRedriveAllowPolicy(value: string | undefined): RedriveAllowPolicy | undefined {
  if (!value) return undefined;
  const bad = (reason: string) => invalidParameterValue(`Value ${value} for parameter RedriveAllowPolicy is invalid. Reason: ${reason}`);
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(value) as Record<string, unknown>;
  } catch {
    throw bad('Redrive allow policy is not a valid JSON map.');
  }
  const perm = doc.redrivePermission;
  if (perm !== 'allowAll' && perm !== 'denyAll' && perm !== 'byQueue') throw bad('Invalid value for redrivePermission.');
  const arns = doc.sourceQueueArns;
  if (perm === 'byQueue') {
    if (!Array.isArray(arns) || arns.length === 0) throw bad('Need to specify sourceQueueArns when redrivePermission is byQueue.');
    if (arns.length > 10) throw bad('Only up to 10 sourceQueueArns are allowed.');
  } else if (arns !== undefined) throw bad('Only specify sourceQueueArns when redrivePermission is byQueue.');
  return { redrivePermission: perm, sourceQueueArns: (arns as string[] | undefined) ?? [] };
}
