/**
 * The deploy-time interface: AWS::Events::EventBus, AWS::Events::Rule (inline Targets) and
 * AWS::Events::Archive created from their resolved CloudFormation properties. Each call is
 * idempotent: deploying the same properties again (a restart redeploys the same template)
 * changes nothing, a rule keeps its schedule phase, and an archive keeps its events.
 */
import { archiveArn } from './arns';
import type { Target, RuleState } from './model';
import { createArchiveFrom, updateArchiveFrom } from './operations/archives';
import { createEventBus } from './operations/buses';
import { defineRule } from './operations/rules';
import { setTargets } from './operations/targets';
import type { EventBridgeService } from './service';
import { validationError } from './errors';

export interface EventBusProperties {
  Name: string;
  Description?: string;
  KmsKeyIdentifier?: string;
  DeadLetterConfig?: { Arn?: string };
  Tags?: Array<{ Key: string; Value: string }>;
}

export interface RuleProperties {
  /** the physical name (CloudFormation generates one when the template has none) */
  Name: string;
  EventBusName?: string;
  EventPattern?: Record<string, unknown> | string;
  ScheduleExpression?: string;
  State?: RuleState;
  Description?: string;
  RoleArn?: string;
  Targets?: Target[];
}

export interface ArchiveProperties {
  ArchiveName: string;
  SourceArn: string;
  Description?: string;
  EventPattern?: Record<string, unknown> | string;
  RetentionDays?: number | string;
}

const patternText = (p: Record<string, unknown> | string | undefined) => (p === undefined || typeof p === 'string' ? p : JSON.stringify(p));

/** `{ Ref: name, Arn, Name }` of an AWS::Events::EventBus. */
export function deployBus(svc: EventBridgeService, p: EventBusProperties): { Ref: string; Arn: string; Name: string } {
  const existing = svc.buses.get(p.Name);
  if (!existing) createEventBus(svc, { ...p });
  else {
    existing.description = p.Description;
    existing.kmsKeyIdentifier = p.KmsKeyIdentifier;
    existing.deadLetterConfig = p.DeadLetterConfig;
    if (p.Tags?.length) svc.tags.set(existing.arn, p.Tags);
    svc.persist();
  }
  const bus = svc.buses.get(p.Name);
  if (!bus) throw validationError(`event bus ${p.Name} could not be created`);
  return { Ref: bus.name, Arn: bus.arn, Name: bus.name };
}

function normalizeTarget(t: Target): Target {
  const out: Target = { ...t };
  if (t.RetryPolicy) {
    out.RetryPolicy = {};
    if (t.RetryPolicy.MaximumRetryAttempts !== undefined) out.RetryPolicy.MaximumRetryAttempts = Number(t.RetryPolicy.MaximumRetryAttempts);
    if (t.RetryPolicy.MaximumEventAgeInSeconds !== undefined) out.RetryPolicy.MaximumEventAgeInSeconds = Number(t.RetryPolicy.MaximumEventAgeInSeconds);
  }
  return out;
}

/**
 * `{ Ref, Arn }` of an AWS::Events::Rule. The rule's targets become exactly `Targets` (targets no
 * longer in the template are removed). Ref is the rule name, or "bus|name" on a custom bus, as
 * CloudFormation returns it.
 */
export function deployRule(svc: EventBridgeService, p: RuleProperties): { Ref: string; Arn: string } {
  const rule = defineRule(svc, {
    name: p.Name,
    busNameOrArn: p.EventBusName,
    eventPattern: patternText(p.EventPattern),
    scheduleExpression: p.ScheduleExpression,
    state: p.State,
    description: p.Description,
    roleArn: p.RoleArn,
  });
  const targets = (p.Targets ?? []).map(normalizeTarget);
  const keep = new Set(targets.map((t) => t.Id));
  rule.targets = rule.targets.filter((t) => keep.has(t.Id));
  if (targets.length) {
    const failed = setTargets(svc, rule, targets);
    if (failed.length) throw validationError(failed.map((f) => f.ErrorMessage).join(' '));
  } else svc.persist();
  return { Ref: rule.bus === 'default' ? rule.name : `${rule.bus}|${rule.name}`, Arn: rule.arn };
}

/** `{ Ref: name, Arn }` of an AWS::Events::Archive. */
export async function deployArchive(svc: EventBridgeService, p: ArchiveProperties): Promise<{ Ref: string; Arn: string }> {
  const retentionDays = p.RetentionDays === undefined ? undefined : Number(p.RetentionDays);
  const existing = svc.archives.get(p.ArchiveName);
  if (existing && existing.eventSourceArn !== p.SourceArn) {
    // SourceArn cannot change in place: CloudFormation replaces the archive
    svc.archives.delete(existing.name);
    await svc.store.deleteArchive(existing.name);
  }
  if (svc.archives.has(p.ArchiveName)) {
    const a = updateArchiveFrom(svc, p.ArchiveName, { description: p.Description, eventPattern: patternText(p.EventPattern), retentionDays: retentionDays ?? 0 });
    if (p.EventPattern === undefined) {
      a.eventPattern = undefined;
      a.compiled = undefined;
      svc.persist();
    }
  } else {
    createArchiveFrom(svc, { name: p.ArchiveName, eventSourceArn: p.SourceArn, description: p.Description, eventPattern: patternText(p.EventPattern), retentionDays });
  }
  return { Ref: p.ArchiveName, Arn: archiveArn(svc.scope, p.ArchiveName) };
}

/** Removes a rule and its targets (stack update or delete). */
export function removeRule(svc: EventBridgeService, name: string, busName = 'default'): void {
  const rules = svc.rules.get(busName);
  const rule = rules?.get(name);
  if (!rule) return;
  rules?.delete(name);
  svc.rulesChanged(busName);
  svc.scheduler.sync(rule, true);
  svc.tags.delete(rule.arn);
  svc.persist();
}

export function removeBus(svc: EventBridgeService, name: string): void {
  if (name === 'default' || !svc.buses.has(name)) return;
  for (const r of [...(svc.rules.get(name)?.keys() ?? [])]) removeRule(svc, r, name);
  svc.buses.delete(name);
  svc.persist();
}

export async function removeArchive(svc: EventBridgeService, name: string): Promise<void> {
  if (!svc.archives.delete(name)) return;
  await svc.store.deleteArchive(name);
  svc.persist();
}
