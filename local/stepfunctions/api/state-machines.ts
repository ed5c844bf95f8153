/**
 * CreateStateMachine, DescribeStateMachine, UpdateStateMachine, DeleteStateMachine, ListStateMachines,
 * ValidateStateMachineDefinition, DescribeStateMachineForExecution, and the deploy-time upsert.
 */
import crypto from 'node:crypto';
import { checkName, parseArn, stateMachineArn } from '../arn';
import type { Definition } from '../asl/types';
import { definitionProblem, validateDefinition } from '../asl/validate';
import { invalidArn, invalidDefinition, missingParameter, stateMachineAlreadyExists, validation } from '../errors';
import type { StepFunctionsService } from '../service';
import type { LoggingConfiguration, MachineRecord } from '../store/state-machines';
import { decodeToken, encodeToken, optionalString, pageSize, requireString, seconds } from './http';

type Input = Record<string, unknown>;

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

export function checkRoleArn(v: unknown): string {
  if (typeof v !== 'string' || !ROLE_ARN.test(v)) throw invalidArn(String(v), `Invalid ARN prefix: ${String(v)}`);
  return v;
}

function checkType(v: unknown): 'STANDARD' | 'EXPRESS' {
  if (v === undefined || v === null) return 'STANDARD';
  if (v !== 'STANDARD' && v !== 'EXPRESS') throw validation(`1 validation error detected: Value '${String(v)}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`);
  return v;
}

function logging(v: unknown): LoggingConfiguration {
  const l = (v ?? {}) as LoggingConfiguration;
  const out: LoggingConfiguration = { level: l.level ?? 'OFF', includeExecutionData: l.includeExecutionData ?? false };
  if (l.destinations?.length) out.destinations = l.destinations;
  if (!['ALL', 'ERROR', 'FATAL', 'OFF'].includes(out.level!)) throw validation(`1 validation error detected: Value '${out.level}' at 'loggingConfiguration.level' failed to satisfy constraint: Member must satisfy enum value set: [ALL, ERROR, FATAL, OFF]`);
  return out;
}

/** Validates a definition text as CreateStateMachine does; InvalidDefinition names the problems. */
export function parseDefinition(svc: StepFunctionsService, text: unknown, type: 'STANDARD' | 'EXPRESS'): Definition {
  const r = validateDefinition(text, { type, integrations: svc.integrations });
  if (r.diagnostics.length) throw invalidDefinition(definitionProblem(r.diagnostics));
  return r.definition as unknown as Definition;
}

function tagsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(v)) for (const t of v as Array<{ key?: string; value?: string }>) if (t?.key) out[t.key] = t.value ?? '';
  return out;
}

export function createStateMachine(svc: StepFunctionsService, input: Input) {
  const name = checkName(requireString(input, 'name'));
  const definitionText = requireString(input, 'definition');
  const roleArn = checkRoleArn(requireString(input, 'roleArn'));
  const type = checkType(input.type);
  const parsed = parseDefinition(svc, definitionText, type);
  const arn = stateMachineArn(svc.region, svc.accountId, name);
  const loggingConfiguration = logging(input.loggingConfiguration);
  const tracingConfiguration = { enabled: (input.tracingConfiguration as { enabled?: boolean })?.enabled === true };
  const defHash = svc.machines.saveDefinition(definitionText, parsed);
  const existing = svc.machines.get(arn);
  if (existing) {
    const same = existing.defHash === defHash && existing.roleArn === roleArn && existing.type === type && JSON.stringify(existing.loggingConfiguration) === JSON.stringify(loggingConfiguration) && existing.tracingConfiguration.enabled === tracingConfiguration.enabled;
    if (!same) throw stateMachineAlreadyExists(arn);
    return { stateMachineArn: arn, creationDate: seconds(existing.creationDate) };
  }
  const m: MachineRecord = {
    name,
    arn,
    type,
    roleArn,
    defHash,
    creationDate: svc.clock.now(),
    loggingConfiguration,
    tracingConfiguration,
    tags: tagsOf(input.tags),
  };
  const description = optionalString(input, 'versionDescription');
  if (description) m.description = description;
  svc.machines.put(m);
  return { stateMachineArn: arn, creationDate: seconds(m.creationDate) };
}

function describe(svc: StepFunctionsService, m: MachineRecord) {
  const out: Record<string, unknown> = {
    stateMachineArn: m.arn,
    name: m.name,
    status: 'ACTIVE',
    definition: svc.machines.definition(m.defHash).text,
    roleArn: m.roleArn,
    type: m.type,
    creationDate: seconds(m.creationDate),
    loggingConfiguration: m.loggingConfiguration,
    tracingConfiguration: m.tracingConfiguration,
  };
  if (m.revisionId) out.revisionId = m.revisionId;
  if (m.description) out.description = m.description;
  return out;
}

export function describeStateMachine(svc: StepFunctionsService, input: Input) {
  const arn = requireString(input, 'stateMachineArn');
  parseArn(arn, ['stateMachine']);
  return describe(svc, svc.machineOrThrow(arn));
}

export function updateStateMachine(svc: StepFunctionsService, input: Input) {
  const arn = requireString(input, 'stateMachineArn');
  parseArn(arn, ['stateMachine']);
  const m = svc.machineOrThrow(arn);
  if (input.definition === undefined && input.roleArn === undefined && input.loggingConfiguration === undefined && input.tracingConfiguration === undefined) {
    throw missingParameter('Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified');
  }
  const next: MachineRecord = { ...m };
  if (input.definition !== undefined) {
    const text = requireString(input, 'definition');
    next.defHash = svc.machines.saveDefinition(text, parseDefinition(svc, text, m.type));
  }
  if (input.roleArn !== undefined) next.roleArn = checkRoleArn(input.roleArn);
  if (input.loggingConfiguration !== undefined) next.loggingConfiguration = logging(input.loggingConfiguration);
  if (input.tracingConfiguration !== undefined) next.tracingConfiguration = { enabled: (input.tracingConfiguration as { enabled?: boolean })?.enabled === true };
  next.updateDate = svc.clock.now();
  next.revisionId = crypto.randomUUID();
  svc.machines.put(next);
  return { updateDate: seconds(next.updateDate), revisionId: next.revisionId };
}

export function deleteStateMachine(svc: StepFunctionsService, input: Input) {
  const arn = requireString(input, 'stateMachineArn');
  parseArn(arn, ['stateMachine']);
  if (svc.machines.get(arn)) {
    svc.machines.delete(arn);
    // closed executions go with their state machine; running ones finish with their own definition
    for (const s of [...svc.index.ofStateMachine(arn)]) if (s.status !== 'RUNNING') svc.index.drop(s);
  }
  return {};
}

export function listStateMachines(svc: StepFunctionsService, input: Input) {
  const size = pageSize(input);
  const from = decodeToken(input.nextToken, 'sm');
  const all = svc.machines.list().sort((a, b) => a.creationDate - b.creationDate || a.name.localeCompare(b.name));
  const page = all.slice(from, from + size);
  const out: Record<string, unknown> = {
    stateMachines: page.map((m) => ({ stateMachineArn: m.arn, name: m.name, type: m.type, creationDate: seconds(m.creationDate) })),
  };
  if (from + size < all.length) out.nextToken = encodeToken('sm', from + size);
  return out;
}

export function validateStateMachineDefinition(svc: StepFunctionsService, input: Input) {
  const type = checkType(input.type);
  const r = validateDefinition(input.definition, { type, integrations: svc.integrations });
  const max = typeof input.maxResults === 'number' && input.maxResults > 0 ? input.maxResults : 100;
  const diagnostics = r.diagnostics.slice(0, max);
  return { result: r.diagnostics.some((d) => d.severity === 'ERROR') ? 'FAIL' : 'OK', diagnostics, truncated: r.diagnostics.length > max };
}

export function describeStateMachineForExecution(svc: StepFunctionsService, input: Input) {
  const arn = requireString(input, 'executionArn');
  parseArn(arn, ['execution']);
  const s = svc.summaryOrThrow(arn);
  const m = svc.machines.get(s.smArn);
  const out: Record<string, unknown> = {
    stateMachineArn: s.smArn,
    name: s.smName,
    definition: svc.machines.definition(s.defHash).text,
    roleArn: s.roleArn,
    updateDate: seconds(m?.updateDate ?? m?.creationDate ?? s.startDate),
    loggingConfiguration: m?.loggingConfiguration ?? { level: 'OFF', includeExecutionData: false },
    tracingConfiguration: m?.tracingConfiguration ?? { enabled: false },
  };
  if (m?.revisionId && m.defHash === s.defHash) out.revisionId = m.revisionId;
  return out;
}

/** Applies `${Name}` DefinitionSubstitutions (CloudFormation's AWS::StepFunctions::StateMachine) to a definition text. */
export function applyDefinitionSubstitutions(definition: string, substitutions: Record<string, unknown> | undefined): string {
  if (!substitutions) return definition;
  return definition.replace(/\$\{([^}]+)\}/g, (whole, key: string) => (Object.prototype.hasOwnProperty.call(substitutions, key) ? String(substitutions[key]) : whole));
}

export interface DeployStateMachineInput {
  /** the physical name (StateMachineName, or the one the deployer generated) */
  name: string;
  /** optional: the ARN the deployer computed; it must be this service's ARN for `name` */
  arn?: string;
  /** the definition text (DefinitionString resolved, or DefinitionS3Location read), substitutions applied */
  definition: string;
  roleArn: string;
  type?: 'STANDARD' | 'EXPRESS';
  loggingConfiguration?: LoggingConfiguration;
  tracingConfiguration?: { enabled?: boolean };
  tags?: Record<string, string>;
}

/**
 * Creates or updates a state machine from a template, idempotently: the same properties change nothing;
 * another definition is a new revision (running executions keep the definition they started with).
 */
export function deployStateMachine(svc: StepFunctionsService, d: DeployStateMachineInput): { stateMachineArn: string; created: boolean; updated: boolean } {
  const name = checkName(d.name);
  const type = checkType(d.type);
  const roleArn = checkRoleArn(d.roleArn);
  const parsed = parseDefinition(svc, d.definition, type);
  const arn = stateMachineArn(svc.region, svc.accountId, name);
  if (d.arn !== undefined && d.arn !== arn) throw invalidArn(d.arn, `The ARN ${d.arn} is not the one of the state machine ${name}: ${arn}`);
  const defHash = svc.machines.saveDefinition(d.definition, parsed);
  const loggingConfiguration = logging(d.loggingConfiguration);
  const tracingConfiguration = { enabled: d.tracingConfiguration?.enabled === true };
  const existing = svc.machines.get(arn);
  if (!existing) {
    svc.machines.put({ name, arn, type, roleArn, defHash, creationDate: svc.clock.now(), loggingConfiguration, tracingConfiguration, tags: { ...(d.tags ?? {}) } });
    return { stateMachineArn: arn, created: true, updated: false };
  }
  const same = existing.defHash === defHash && existing.roleArn === roleArn && existing.type === type && JSON.stringify(existing.loggingConfiguration) === JSON.stringify(loggingConfiguration) && existing.tracingConfiguration.enabled === tracingConfiguration.enabled && JSON.stringify(existing.tags) === JSON.stringify(d.tags ?? {});
  if (same) return { stateMachineArn: arn, created: false, updated: false };
  svc.machines.put({ ...existing, type, roleArn, defHash, loggingConfiguration, tracingConfiguration, tags: { ...(d.tags ?? {}) }, updateDate: svc.clock.now(), revisionId: crypto.randomUUID() });
  return { stateMachineArn: arn, created: false, updated: true };
}
