/** TagResource, UntagResource, ListTagsForResource (state machines). */
import { parseArn } from '../arn';
import { resourceNotFound, tooManyTags } from '../errors';
import type { StepFunctionsService } from '../service';
import { requireString } from './http';

function machine(svc: StepFunctionsService, input: Record<string, unknown>) {
  const arn = requireString(input, 'resourceArn');
  parseArn(arn, ['stateMachine']);
  const m = svc.machines.get(arn);
  if (!m) throw resourceNotFound(arn);
  return m;
}

export function tagResource(svc: StepFunctionsService, input: Record<string, unknown>) {
  const m = machine(svc, input);
  const tags = { ...m.tags };
  for (const t of (input.tags ?? []) as Array<{ key: string; value?: string }>) tags[t.key] = t.value ?? '';
  if (Object.keys(tags).length > 50) throw tooManyTags(m.arn);
  svc.machines.put({ ...m, tags });
  return {};
}

export function untagResource(svc: StepFunctionsService, input: Record<string, unknown>) {
  const m = machine(svc, input);
  const tags = { ...m.tags };
  for (const k of (input.tagKeys ?? []) as string[]) delete tags[k];
  svc.machines.put({ ...m, tags });
  return {};
}

export function listTagsForResource(svc: StepFunctionsService, input: Record<string, unknown>) {
  const m = machine(svc, input);
  return { tags: Object.entries(m.tags).map(([key, value]) => ({ key, value })) };
}
