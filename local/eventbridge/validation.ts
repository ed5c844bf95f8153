/**
 * Input validation as data, answered in the service's (Coral) wording:
 *
 *   1 validation error detected: Value 'x y' at 'name' failed to satisfy constraint:
 *   Member must satisfy regular expression pattern: [\.\-_A-Za-z0-9]+
 *
 * Each operation lists its members' constraints (from the EventBridge API reference); all
 * violations are reported together, pattern before length for one member, as the service does.
 */
import { validationError } from './errors';

export interface Constraint {
  /** the member's name in the request */
  key: string;
  required?: boolean;
  type?: 'string' | 'integer' | 'boolean' | 'list' | 'map' | 'structure' | 'timestamp';
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  min?: number;
  max?: number;
  enum?: readonly string[];
  /** constraints of each element of a list member (reported as `targets.1.member.id`) */
  members?: readonly Constraint[];
}

/** The member name as Coral prints it: first letter in lower case. */
const wireName = (key: string) => key.charAt(0).toLowerCase() + key.slice(1);

/** Java's rendering of a value in the message (`Value 'x'`, `Value null`, lists as [a, b]). */
function show(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `'[${v.map((e) => (typeof e === 'object' && e !== null ? JSON.stringify(e) : String(e))).join(', ')}]'`;
  if (typeof v === 'object') return `'${JSON.stringify(v)}'`;
  return `'${String(v)}'`;
}

function check(value: unknown, c: Constraint, at: string, out: string[]): void {
  const prefix = `Value ${show(value)} at '${at}' failed to satisfy constraint: Member must`;
  if (value === undefined || value === null) {
    if (c.required) out.push(`Value null at '${at}' failed to satisfy constraint: Member must not be null`);
    return;
  }
  if (typeof value === 'string') {
    if (c.pattern && !new RegExp(`^(?:${c.pattern})$`).test(value)) out.push(`${prefix} satisfy regular expression pattern: ${c.pattern}`);
    if (c.enum && !c.enum.includes(value)) out.push(`${prefix} satisfy enum value set: [${c.enum.join(', ')}]`);
    if (c.minLength !== undefined && value.length < c.minLength) out.push(`${prefix} have length greater than or equal to ${c.minLength}`);
    if (c.maxLength !== undefined && value.length > c.maxLength) out.push(`${prefix} have length less than or equal to ${c.maxLength}`);
  } else if (typeof value === 'number') {
    if (c.min !== undefined && value < c.min) out.push(`${prefix} have value greater than or equal to ${c.min}`);
    if (c.max !== undefined && value > c.max) out.push(`${prefix} have value less than or equal to ${c.max}`);
  } else if (Array.isArray(value)) {
    if (c.minLength !== undefined && value.length < c.minLength) out.push(`${prefix} have length greater than or equal to ${c.minLength}`);
    if (c.maxLength !== undefined && value.length > c.maxLength) out.push(`${prefix} have length less than or equal to ${c.maxLength}`);
    if (c.members) {
      value.forEach((el, i) => {
        if (el !== null && typeof el === 'object') for (const m of c.members ?? []) check((el as Record<string, unknown>)[m.key], m, `${at}.${i + 1}.member.${wireName(m.key)}`, out);
      });
    }
  } else if (typeof value === 'object' && c.maxLength !== undefined && Object.keys(value).length > c.maxLength) {
    out.push(`${prefix} have length less than or equal to ${c.maxLength}`);
  }
}

/** Throws ValidationException listing every violated constraint. */
export function validate(input: Record<string, unknown>, constraints: readonly Constraint[]): void {
  const out: string[] = [];
  for (const c of constraints) check(input[c.key], c, wireName(c.key), out);
  if (out.length) throw validationError(`${out.length} validation error${out.length > 1 ? 's' : ''} detected: ${out.join('; ')}`);
}

/** A request member of the wrong JSON type is a SerializationException on the wire. */
export function expectType(input: Record<string, unknown>, constraints: readonly Constraint[]): string | null {
  for (const c of constraints) {
    const v = input[c.key];
    if (v === undefined || v === null || !c.type) continue;
    const ok =
      (c.type === 'string' && typeof v === 'string') ||
      (c.type === 'integer' && typeof v === 'number' && Number.isInteger(v)) ||
      (c.type === 'boolean' && typeof v === 'boolean') ||
      (c.type === 'list' && Array.isArray(v)) ||
      ((c.type === 'map' || c.type === 'structure') && typeof v === 'object' && !Array.isArray(v)) ||
      (c.type === 'timestamp' && (typeof v === 'number' || typeof v === 'string'));
    if (!ok) return c.key;
  }
  return null;
}

// ---- the shapes of the API reference ----

export const NAME_PATTERN = '[\\.\\-_A-Za-z0-9]+';
export const BUS_NAME_PATTERN = '[/\\.\\-_A-Za-z0-9]+';
export const BUS_NAME_OR_ARN_PATTERN = '(arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[/\\.\\-_A-Za-z0-9]+';
export const RULE_STATES = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'] as const;
export const ARCHIVE_STATES = ['ENABLED', 'DISABLED', 'CREATING', 'UPDATING', 'CREATE_FAILED', 'UPDATE_FAILED'] as const;
export const REPLAY_STATES = ['STARTING', 'RUNNING', 'CANCELLING', 'COMPLETED', 'CANCELLED', 'FAILED'] as const;

export const C = {
  busNameOrArn: (key = 'EventBusName', required = false): Constraint => ({
    key,
    required,
    type: 'string',
    pattern: BUS_NAME_OR_ARN_PATTERN,
    minLength: 1,
    maxLength: 1600,
  }),
  ruleName: (key = 'Name', required = true): Constraint => ({ key, required, type: 'string', pattern: NAME_PATTERN, minLength: 1, maxLength: 64 }),
  limit: (): Constraint => ({ key: 'Limit', type: 'integer', min: 1, max: 100 }),
  nextToken: (): Constraint => ({ key: 'NextToken', type: 'string', minLength: 1, maxLength: 2048 }),
  description: (): Constraint => ({ key: 'Description', type: 'string', maxLength: 512 }),
  eventPattern: (): Constraint => ({ key: 'EventPattern', type: 'string', maxLength: 4096 }),
  arn: (key: string, required = true): Constraint => ({ key, required, type: 'string', minLength: 1, maxLength: 1600 }),
};
