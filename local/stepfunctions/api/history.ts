/** GetExecutionHistory: AWS's events, oldest first (or newest first with reverseOrder), paginated. */
import { parseArn } from '../arn';
import { publicEvent } from '../runtime/history';
import type { StepFunctionsService } from '../service';
import { decodeToken, encodeToken, pageSize, requireString, seconds } from './http';

export function getExecutionHistory(svc: StepFunctionsService, input: Record<string, unknown>) {
  const arn = requireString(input, 'executionArn');
  parseArn(arn, ['execution']);
  const s = svc.summaryOrThrow(arn);
  const reverse = input.reverseOrder === true;
  const includeData = input.includeExecutionData !== false;
  const size = pageSize(input);
  const scope = `h:${arn}:${reverse ? 'r' : 'f'}`;
  const from = decodeToken(input.nextToken, scope, 3096);
  const all = svc.history(s);
  const ordered = reverse ? [...all].reverse() : all;
  const page = ordered.slice(from, from + size).map((e) => {
    const p = publicEvent(e, includeData);
    return { ...p, timestamp: seconds(p.timestamp) };
  });
  const out: Record<string, unknown> = { events: page };
  if (from + size < ordered.length) out.nextToken = encodeToken(scope, from + size);
  return out;
}
