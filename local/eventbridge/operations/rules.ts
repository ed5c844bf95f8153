/** PutRule, DescribeRule, ListRules, DeleteRule, EnableRule, DisableRule. */
import { validationError } from '../errors';
import type { Rule, RuleState } from '../model';
import { rateAnchor } from '../schedule';
import { compilePatternOrThrow, parseScheduleOrThrow, type EventBridgeService } from '../service';
import { C, NAME_PATTERN, RULE_STATES } from '../validation';
import { check, compact, paginate, str, type Input } from './common';

export interface RuleDefinition {
  name: string;
  busNameOrArn?: string;
  eventPattern?: string;
  scheduleExpression?: string;
  state?: RuleState;
  description?: string;
  roleArn?: string;
}

/**
 * Creates or replaces a rule's definition (its targets stay). As PutRule does, members left out
 * are cleared, not kept. A rate schedule keeps its phase while the expression is unchanged, so a
 * redeploy of the same rule does not move its times.
 */
export function defineRule(svc: EventBridgeService, d: RuleDefinition): Rule {
  const bus = svc.bus(d.busNameOrArn);
  if (d.eventPattern === undefined && d.scheduleExpression === undefined) {
    throw validationError('Parameter(s) EventPattern or ScheduleExpression must be specified.');
  }
  if (d.scheduleExpression !== undefined && bus.name !== 'default') throw validationError('ScheduleExpression is supported only on the default event bus.');
  const compiled = d.eventPattern !== undefined ? compilePatternOrThrow(d.eventPattern) : undefined;
  const schedule = d.scheduleExpression !== undefined ? parseScheduleOrThrow(d.scheduleExpression) : undefined;
  const rules = svc.rulesOf(bus.name);
  const rule = rules.get(d.name) ?? svc.newRule(bus.name, d.name);
  if (rule.scheduleExpression !== d.scheduleExpression || rule.scheduleAnchorMs === undefined) {
    rule.scheduleAnchorMs = schedule ? rateAnchor(svc.clock.now()) : undefined;
    rule.lastFiredMs = undefined;
  }
  rule.eventPattern = d.eventPattern;
  rule.scheduleExpression = d.scheduleExpression;
  rule.state = d.state ?? 'ENABLED';
  rule.description = d.description;
  rule.roleArn = d.roleArn;
  rule.compiled = compiled;
  rule.schedule = schedule;
  rules.set(d.name, rule);
  svc.rulesChanged(bus.name);
  svc.scheduler.sync(rule);
  svc.persist();
  return rule;
}

export function putRule(svc: EventBridgeService, input: Input) {
  check(input, [
    C.ruleName(),
    { key: 'ScheduleExpression', type: 'string', maxLength: 256 },
    C.eventPattern(),
    { key: 'State', type: 'string', enum: RULE_STATES },
    C.description(),
    C.arn('RoleArn', false),
    { key: 'Tags', type: 'list' },
    C.busNameOrArn(),
  ]);
  const existed = (() => {
    try {
      svc.rule(str(input, 'EventBusName'), str(input, 'Name') as string);
      return true;
    } catch {
      return false;
    }
  })();
  const rule = defineRule(svc, {
    name: str(input, 'Name') as string,
    busNameOrArn: str(input, 'EventBusName'),
    eventPattern: str(input, 'EventPattern'),
    scheduleExpression: str(input, 'ScheduleExpression'),
    state: str(input, 'State') as RuleState | undefined,
    description: str(input, 'Description'),
    roleArn: str(input, 'RoleArn'),
  });
  if (!existed && Array.isArray(input.Tags) && input.Tags.length) {
    svc.tags.set(rule.arn, input.Tags as Array<{ Key: string; Value: string }>);
    svc.persist();
  }
  return { RuleArn: rule.arn };
}

function summary(r: Rule) {
  return compact({
    Name: r.name,
    Arn: r.arn,
    EventPattern: r.eventPattern,
    State: r.state,
    Description: r.description,
    ScheduleExpression: r.scheduleExpression,
    RoleArn: r.roleArn,
    EventBusName: r.bus,
  });
}

export function describeRule(svc: EventBridgeService, input: Input) {
  check(input, [C.ruleName(), C.busNameOrArn()]);
  const r = svc.rule(str(input, 'EventBusName'), str(input, 'Name') as string);
  return compact({ ...summary(r), CreatedBy: svc.scope.accountId });
}

export function listRules(svc: EventBridgeService, input: Input) {
  check(input, [{ key: 'NamePrefix', type: 'string', pattern: NAME_PATTERN, minLength: 1, maxLength: 64 }, C.busNameOrArn(), C.nextToken(), C.limit()]);
  const bus = svc.bus(str(input, 'EventBusName'));
  const prefix = str(input, 'NamePrefix') ?? '';
  const rules = [...(svc.rules.get(bus.name)?.values() ?? [])].filter((r) => r.name.startsWith(prefix));
  const { page, nextToken } = paginate(rules, (r) => r.name, input.Limit as number | undefined, str(input, 'NextToken'));
  return compact({ Rules: page.map(summary), NextToken: nextToken });
}

export function deleteRule(svc: EventBridgeService, input: Input) {
  check(input, [C.ruleName(), C.busNameOrArn(), { key: 'Force', type: 'boolean' }]);
  const bus = svc.bus(str(input, 'EventBusName'));
  const rules = svc.rules.get(bus.name);
  const rule = rules?.get(str(input, 'Name') as string);
  // deleting a rule that does not exist succeeds, as every repeated DeleteRule does
  if (!rule) return {};
  if (rule.targets.length > 0) throw validationError("Rule can't be deleted since it has targets.");
  rules?.delete(rule.name);
  svc.rulesChanged(bus.name);
  svc.scheduler.sync(rule, true);
  svc.tags.delete(rule.arn);
  svc.persist();
  return {};
}

function setState(svc: EventBridgeService, input: Input, state: RuleState) {
  check(input, [C.ruleName(), C.busNameOrArn()]);
  const r = svc.rule(str(input, 'EventBusName'), str(input, 'Name') as string);
  r.state = state;
  svc.scheduler.sync(r);
  svc.persist();
  return {};
}

export const enableRule = (svc: EventBridgeService, input: Input) => setState(svc, input, 'ENABLED');
export const disableRule = (svc: EventBridgeService, input: Input) => setState(svc, input, 'DISABLED');
