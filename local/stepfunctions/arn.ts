/**
 * ARNs and names of Step Functions resources:
 *   arn:aws:states:<region>:<account>:stateMachine:<name>
 *   arn:aws:states:<region>:<account>:execution:<stateMachineName>:<executionName>
 *   arn:aws:states:<region>:<account>:express:<stateMachineName>:<executionName>:<uuid>
 */
import { invalidArn, invalidName } from './errors';

export type ArnKind = 'stateMachine' | 'execution' | 'express';

export interface ParsedArn {
  kind: ArnKind;
  region: string;
  account: string;
  stateMachineName: string;
  executionName?: string;
}

const ARN = /^arn:(aws|aws-cn|aws-us-gov):states:([a-z0-9-]+):(\d{12}):(stateMachine|execution|express|activity|mapRun|stateMachineAlias):(.+)$/;

/** Parses an ARN of one of `kinds`; InvalidArn with AWS's wording otherwise. */
export function parseArn(arn: unknown, kinds: ArnKind[]): ParsedArn {
  if (typeof arn !== 'string' || !arn.startsWith('arn:')) throw invalidArn(String(arn));
  const m = ARN.exec(arn);
  if (!m) throw invalidArn(arn, `Invalid ARN prefix: ${arn}`);
  const kind = m[4] as ArnKind;
  if (!kinds.includes(kind)) throw invalidArn(arn, `Resource type not valid in this context: ${m[4]}`);
  const parts = m[5].split(':');
  if (kind === 'stateMachine') {
    if (parts.length > 2 || !parts[0]) throw invalidArn(arn, `Invalid ARN: ${arn}`);
    return { kind, region: m[2], account: m[3], stateMachineName: parts[0] };
  }
  const need = kind === 'express' ? 3 : 2;
  if (parts.length !== need || parts.some((p) => !p)) throw invalidArn(arn, `Invalid ARN: ${arn}`);
  return { kind, region: m[2], account: m[3], stateMachineName: parts[0], executionName: parts[1] };
}

export const stateMachineArn = (region: string, account: string, name: string) => `arn:aws:states:${region}:${account}:stateMachine:${name}`;
export const executionArn = (region: string, account: string, sm: string, name: string) => `arn:aws:states:${region}:${account}:execution:${sm}:${name}`;
export const expressExecutionArn = (region: string, account: string, sm: string, name: string, id: string) => `arn:aws:states:${region}:${account}:express:${sm}:${name}:${id}`;

/**
 * A state machine or execution name: 1 to 80 characters, none of them whitespace, brackets (< > { } [ ]),
 * wildcards (? *), special characters (" # % \ ^ | ~ ` $ & , ; : /) or control characters.
 */
export function checkName(name: unknown, max = 80): string {
  if (typeof name !== 'string' || name.length < 1 || name.length > max) throw invalidName(String(name ?? ''));
  if (/[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/.test(name)) throw invalidName(name);
  return name;
}
