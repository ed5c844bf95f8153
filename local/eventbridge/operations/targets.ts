/** PutTargets, RemoveTargets, ListTargetsByRule, ListRuleNamesByTarget. */
import { limitExceeded, validationError } from '../errors';
import type { Rule, Target } from '../model';
import type { EventBridgeService } from '../service';
import { validateTargetInput } from '../transform';
import { C, NAME_PATTERN, type Constraint } from '../validation';
import { check, compact, paginate, str, type Input } from './common';

/** EventBridge allows five targets per rule. */
export const MAX_TARGETS_PER_RULE = 5;

const TARGET_MEMBERS: Constraint[] = [
  { key: 'Id', required: true, type: 'string', pattern: NAME_PATTERN, minLength: 1, maxLength: 64 },
  { key: 'Arn', required: true, type: 'string', minLength: 1, maxLength: 1600 },
  { key: 'RoleArn', type: 'string', minLength: 1, maxLength: 1600 },
  { key: 'Input', type: 'string', maxLength: 8192 },
  { key: 'InputPath', type: 'string', maxLength: 256 },
];

function targetRule(svc: EventBridgeService, input: Input): Rule {
  return svc.rule(str(input, 'EventBusName'), str(input, 'Rule') as string);
}

/**
 * Adds or replaces targets of a rule by Id. Returns the per-target failures, as PutTargets reports
 * them (a FIFO queue target without SqsParameters.MessageGroupId is refused that way).
 */
export function setTargets(svc: EventBridgeService, rule: Rule, targets: Target[]): Array<{ TargetId: string; ErrorCode: string; ErrorMessage: string }> {
  for (const t of targets) {
    const problem = validateTargetInput(t);
    if (problem) throw validationError(problem);
    const retry = t.RetryPolicy;
    if (retry?.MaximumRetryAttempts !== undefined && (retry.MaximumRetryAttempts < 0 || retry.MaximumRetryAttempts > 185)) {
      throw validationError(`1 validation error detected: Value '${retry.MaximumRetryAttempts}' at 'retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 185`);
    }
  }
  const failed: Array<{ TargetId: string; ErrorCode: string; ErrorMessage: string }> = [];
  const accepted = targets.filter((t) => {
    if (/^arn:aws[\w-]*:sqs:.*\.fifo$/.test(t.Arn) && !t.SqsParameters?.MessageGroupId) {
      failed.push({ TargetId: t.Id, ErrorCode: 'ValidationException', ErrorMessage: `Parameter(s) SqsParameters must be specified for target: ${t.Id}.` });
      return false;
    }
    return true;
  });
  const ids = new Set(rule.targets.map((t) => t.Id));
  const added = new Set(accepted.filter((t) => !ids.has(t.Id)).map((t) => t.Id));
  if (rule.targets.length + added.size > MAX_TARGETS_PER_RULE) throw limitExceeded();
  for (const t of accepted) {
    const copy = JSON.parse(JSON.stringify(t)) as Target;
    const i = rule.targets.findIndex((x) => x.Id === t.Id);
    if (i >= 0) rule.targets[i] = copy;
    else rule.targets.push(copy);
  }
  svc.persist();
  return failed;
}

export function putTargets(svc: EventBridgeService, input: Input) {
  check(input, [
    C.ruleName('Rule'),
    C.busNameOrArn(),
    { key: 'Targets', required: true, type: 'list', minLength: 1, maxLength: 100, members: TARGET_MEMBERS },
  ]);
  const rule = targetRule(svc, input);
  const failed = setTargets(svc, rule, input.Targets as Target[]);
  return { FailedEntryCount: failed.length, FailedEntries: failed };
}

export function removeTargets(svc: EventBridgeService, input: Input) {
  check(input, [C.ruleName('Rule'), C.busNameOrArn(), { key: 'Ids', required: true, type: 'list', minLength: 1, maxLength: 100 }, { key: 'Force', type: 'boolean' }]);
  const rule = targetRule(svc, input);
  const ids = new Set(input.Ids as string[]);
  rule.targets = rule.targets.filter((t) => !ids.has(t.Id));
  svc.persist();
  return { FailedEntryCount: 0, FailedEntries: [] };
}

export function listTargetsByRule(svc: EventBridgeService, input: Input) {
  check(input, [C.ruleName('Rule'), C.busNameOrArn(), C.nextToken(), C.limit()]);
  const rule = targetRule(svc, input);
  const { page, nextToken } = paginate(rule.targets, (t) => t.Id, input.Limit as number | undefined, str(input, 'NextToken'));
  return compact({ Targets: page, NextToken: nextToken });
}

export function listRuleNamesByTarget(svc: EventBridgeService, input: Input) {
  check(input, [C.arn('TargetArn'), C.busNameOrArn(), C.nextToken(), C.limit()]);
  const bus = svc.bus(str(input, 'EventBusName'));
  const arn = str(input, 'TargetArn') as string;
  const rules = [...(svc.rules.get(bus.name)?.values() ?? [])].filter((r) => r.targets.some((t) => t.Arn === arn));
  const { page, nextToken } = paginate(rules, (r) => r.name, input.Limit as number | undefined, str(input, 'NextToken'));
  return compact({ RuleNames: page.map((r) => r.name), NextToken: nextToken });
}
