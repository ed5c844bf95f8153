/** TagResource, UntagResource, ListTagsForResource (buses and rules). */
import { resourceNotFound } from '../errors';
import type { EventBridgeService } from '../service';
import { check, str, type Input } from './common';

function resource(svc: EventBridgeService, arn: string): string {
  const known = [...svc.buses.values()].some((b) => b.arn === arn) || svc.ruleByArn(arn) !== undefined;
  if (!known) throw resourceNotFound(`Resource ${arn} does not exist.`);
  return arn;
}

export function tagResource(svc: EventBridgeService, input: Input) {
  check(input, [{ key: 'ResourceARN', required: true, type: 'string', minLength: 1, maxLength: 1600 }, { key: 'Tags', required: true, type: 'list' }]);
  const arn = resource(svc, str(input, 'ResourceARN') as string);
  const tags = new Map((svc.tags.get(arn) ?? []).map((t) => [t.Key, t.Value]));
  for (const t of input.Tags as Array<{ Key: string; Value: string }>) tags.set(t.Key, t.Value);
  svc.tags.set(arn, [...tags].map(([Key, Value]) => ({ Key, Value })));
  svc.persist();
  return {};
}

export function untagResource(svc: EventBridgeService, input: Input) {
  check(input, [{ key: 'ResourceARN', required: true, type: 'string', minLength: 1, maxLength: 1600 }, { key: 'TagKeys', required: true, type: 'list' }]);
  const arn = resource(svc, str(input, 'ResourceARN') as string);
  const drop = new Set(input.TagKeys as string[]);
  svc.tags.set(arn, (svc.tags.get(arn) ?? []).filter((t) => !drop.has(t.Key)));
  svc.persist();
  return {};
}

export function listTagsForResource(svc: EventBridgeService, input: Input) {
  check(input, [{ key: 'ResourceARN', required: true, type: 'string', minLength: 1, maxLength: 1600 }]);
  return { Tags: svc.tags.get(resource(svc, str(input, 'ResourceARN') as string)) ?? [] };
}
