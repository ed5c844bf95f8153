/**
 * StartExecution, StartSyncExecution, DescribeExecution, StopExecution, ListExecutions, RedriveExecution.
 */
import crypto from 'node:crypto';
import { parseArn } from '../arn';
import { notRedrivable, typeNotSupported, validation } from '../errors';
import type { StepFunctionsService } from '../service';
import type { ExecSummary } from '../store/executions';
import { continueTrace } from '../trace';
import { decodeToken, encodeToken, optionalString, pageSize, requireString, seconds } from './http';

type Input = Record<string, unknown>;

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];

export async function startExecution(svc: StepFunctionsService, input: Input, traceHeader?: string) {
  const arn = requireString(input, 'stateMachineArn');
  parseArn(arn, ['stateMachine']);
  const m = svc.machineOrThrow(arn);
  const name = optionalString(input, 'name') ?? crypto.randomUUID();
  const inputText = optionalString(input, 'input');
  const trace = continueTrace(optionalString(input, 'traceHeader') ?? traceHeader, () => svc.sampleNewTrace());
  if (m.type === 'EXPRESS') {
    const x = svc.startExpress(m, name, inputText, trace);
    x.runner.run().catch((e) => svc.log(`stepfunctions: express ${x.arn} crashed: ${(e as Error).message}`));
    return { executionArn: x.arn, startDate: seconds(x.startDate) };
  }
  const s = svc.startExecution(m, name, inputText, trace);
  // answered once the execution is on disk (group commit with the other starts of this turn)
  await svc.flusher.durable();
  return { executionArn: s.arn, startDate: seconds(s.startDate) };
}

export async function startSyncExecution(svc: StepFunctionsService, input: Input, traceHeader?: string) {
  const arn = requireString(input, 'stateMachineArn');
  parseArn(arn, ['stateMachine']);
  const m = svc.machineOrThrow(arn);
  if (m.type !== 'EXPRESS') throw typeNotSupported();
  const name = optionalString(input, 'name') ?? crypto.randomUUID();
  const trace = continueTrace(optionalString(input, 'traceHeader') ?? traceHeader, () => svc.sampleNewTrace());
  const x = svc.startExpress(m, name, optionalString(input, 'input'), trace);
  const o = await x.runner.run();
  const out: Record<string, unknown> = {
    executionArn: x.arn,
    stateMachineArn: m.arn,
    name,
    startDate: seconds(x.startDate),
    stopDate: seconds(o.stopDate),
    status: o.status,
    input: x.inputText,
    inputDetails: { included: true },
    traceHeader: trace,
    billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil((o.stopDate - x.startDate) / 100) * 100) },
  };
  if (o.status === 'SUCCEEDED') {
    out.output = JSON.stringify(o.output ?? null);
    out.outputDetails = { included: true };
  } else {
    if (o.error) out.error = o.error;
    if (o.cause) out.cause = o.cause;
  }
  return out;
}

function redriveStatus(s: ExecSummary): { redriveStatus: string; redriveStatusReason?: string } {
  if (s.status === 'FAILED' || s.status === 'ABORTED' || s.status === 'TIMED_OUT') return { redriveStatus: 'REDRIVABLE' };
  return { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: `Execution is ${s.status} and cannot be redriven` };
}

export function describeExecution(svc: StepFunctionsService, input: Input) {
  const arn = requireString(input, 'executionArn');
  parseArn(arn, ['execution']);
  const s = svc.summaryOrThrow(arn);
  const io = svc.inputOutput(s);
  const out: Record<string, unknown> = {
    executionArn: s.arn,
    stateMachineArn: s.smArn,
    name: s.name,
    status: s.status,
    startDate: seconds(s.startDate),
    input: io.input,
    inputDetails: { included: true },
    redriveCount: s.redriveCount,
    ...redriveStatus(s),
    traceHeader: s.traceHeader,
  };
  if (s.stopDate !== undefined) out.stopDate = seconds(s.stopDate);
  if (io.output !== undefined) {
    out.output = io.output;
    out.outputDetails = { included: true };
  }
  if (s.error) out.error = s.error;
  if (s.cause) out.cause = s.cause;
  if (s.redriveDate !== undefined) out.redriveDate = seconds(s.redriveDate);
  return out;
}

export function stopExecution(svc: StepFunctionsService, input: Input) {
  const arn = requireString(input, 'executionArn');
  parseArn(arn, ['execution']);
  const s = svc.summaryOrThrow(arn);
  const stopDate = svc.stopExecution(s, optionalString(input, 'error'), optionalString(input, 'cause'));
  return { stopDate: seconds(stopDate) };
}

export function listExecutions(svc: StepFunctionsService, input: Input) {
  const arn = requireString(input, 'stateMachineArn');
  parseArn(arn, ['stateMachine']);
  const m = svc.machineOrThrow(arn);
  if (m.type === 'EXPRESS') throw typeNotSupported();
  const filter = input.statusFilter;
  if (filter !== undefined && filter !== null && !STATUSES.includes(filter as string)) {
    throw validation(`1 validation error detected: Value '${String(filter)}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]`);
  }
  const redriveFilter = input.redriveFilter as string | undefined;
  const size = pageSize(input);
  const from = decodeToken(input.nextToken, `ex:${arn}:${String(filter ?? '')}`, 3096);
  const all = svc.index.ofStateMachine(arn);
  const items: Record<string, unknown>[] = [];
  let skipped = 0;
  let more = false;
  for (let i = all.length - 1; i >= 0; i--) {
    const s = all[i];
    if (filter && s.status !== filter) continue;
    if (redriveFilter === 'REDRIVEN' && s.redriveCount === 0) continue;
    if (redriveFilter === 'NOT_REDRIVEN' && s.redriveCount > 0) continue;
    if (skipped < from) {
      skipped++;
      continue;
    }
    if (items.length === size) {
      more = true;
      break;
    }
    const it: Record<string, unknown> = { executionArn: s.arn, stateMachineArn: s.smArn, name: s.name, status: s.status, startDate: seconds(s.startDate), redriveCount: s.redriveCount };
    if (s.stopDate !== undefined) it.stopDate = seconds(s.stopDate);
    if (s.redriveDate !== undefined) it.redriveDate = seconds(s.redriveDate);
    items.push(it);
  }
  const out: Record<string, unknown> = { executions: items };
  if (more) out.nextToken = encodeToken(`ex:${arn}:${String(filter ?? '')}`, from + items.length);
  return out;
}

export async function redriveExecution(svc: StepFunctionsService, input: Input) {
  const arn = requireString(input, 'executionArn');
  parseArn(arn, ['execution']);
  const s = svc.summaryOrThrow(arn);
  if (s.status === 'RUNNING' || s.status === 'SUCCEEDED') throw notRedrivable(`Execution with ARN ${arn} cannot be redriven because it is ${s.status}.`);
  if (svc.clock.now() - (s.stopDate ?? s.startDate) > 14 * 24 * 3600 * 1000) throw notRedrivable(`Execution with ARN ${arn} cannot be redriven because it was closed more than 14 days ago.`);
  const redriveDate = svc.redrive(s);
  await svc.flusher.durable();
  return { redriveDate: seconds(redriveDate) };
}
