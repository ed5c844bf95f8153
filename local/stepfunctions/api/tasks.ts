/** SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat. */
import { SfnApiError } from '../errors';
import type { StepFunctionsService } from '../service';
import { optionalString, requireString } from './http';

export function sendTaskSuccess(svc: StepFunctionsService, input: Record<string, unknown>) {
  const token = requireString(input, 'taskToken');
  const text = requireString(input, 'output');
  let output: unknown;
  try {
    output = JSON.parse(text);
  } catch (e) {
    throw new SfnApiError('InvalidOutput', `Invalid Output: '${(e as Error).message}'`);
  }
  svc.tokens.success(token, output);
  return {};
}

export function sendTaskFailure(svc: StepFunctionsService, input: Record<string, unknown>) {
  const token = requireString(input, 'taskToken');
  svc.tokens.failure(token, optionalString(input, 'error'), optionalString(input, 'cause'));
  return {};
}

export function sendTaskHeartbeat(svc: StepFunctionsService, input: Record<string, unknown>) {
  svc.tokens.heartbeat(requireString(input, 'taskToken'));
  return {};
}
