/**
 * X-Ray for executions of state machines with tracing enabled, as Step Functions records them: a
 * segment per execution (named after the state machine, origin `AWS::StepFunctions::StateMachine`,
 * parent = the Parent of the trace header StartExecution carried), sent `in_progress` when the
 * execution starts and complete when it ends; a subsegment per state entered (sent when the state
 * exits), under the execution or, inside a Map iteration or Parallel branch, under the Map or
 * Parallel state. A failed state or execution is a fault with the error as cause.
 *
 * Ids are derived from the execution ARN and the history event ids, so that a Lambda task's trace
 * header (Parent = its state's subsegment, `stateSegmentId`) and the subsegment agree without
 * shared state, also after the execution resumed in a new process.
 */
import { createHash } from 'node:crypto';
import { parseTraceHeader, type SegmentDocument } from '../xray/segments';
import type { StoredEvent } from './runtime/history';

export const executionSegmentId = (executionArn: string, redriveCount = 0): string =>
  createHash('sha1').update(`${executionArn}#${redriveCount}`).digest('hex').slice(0, 16);

export const stateSegmentId = (executionArn: string, enteredEventId: number): string =>
  createHash('sha1').update(`${executionArn}@${enteredEventId}`).digest('hex').slice(0, 16);

/** The execution's header with Parent = the subsegment of the state entered at `enteredEventId`. */
export function taskTraceHeader(executionHeader: string, executionArn: string, enteredEventId: number): string {
  const h = parseTraceHeader(executionHeader);
  if (!h) return executionHeader;
  return `Root=${h.root};Parent=${stateSegmentId(executionArn, enteredEventId)};Sampled=${h.sampled === false ? 0 : 1}`;
}

interface OpenState {
  name: string;
  type: string;
  id: string;
  parentId: string;
  start: number;
  failed?: { error?: string; cause?: string };
}

export interface ExecutionTraceInfo {
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  traceHeader: string;
  startDate: number;
  redriveCount: number;
}

const ENTERED = /^(\w+)StateEntered$/;
const EXITED = /StateExited$/;
const ENDED: Record<string, 'ok' | 'fault' | 'error'> = { ExecutionSucceeded: 'ok', ExecutionFailed: 'fault', ExecutionTimedOut: 'fault', ExecutionAborted: 'error' };

/** Follows one execution's history events and sends its segments; undefined when its trace is not sampled. */
export function executionTracer(info: ExecutionTraceInfo, sink: { put(doc: SegmentDocument): void }): ((ev: StoredEvent) => void) | undefined {
  const header = parseTraceHeader(info.traceHeader);
  if (!header || header.sampled === false) return undefined;
  const segmentId = executionSegmentId(info.executionArn, info.redriveCount);
  const open = new Map<string, OpenState>(); // thread -> the state running in it
  const containers = new Map<number, string>(); // Map/ParallelStateStarted event id -> the subsegment of that state
  const segment = (end?: number, outcome?: 'ok' | 'fault' | 'error', cause?: string): SegmentDocument => {
    const doc: SegmentDocument = {
      name: info.stateMachineName,
      id: segmentId,
      trace_id: header.root,
      start_time: info.startDate / 1000,
      origin: 'AWS::StepFunctions::StateMachine',
      resource_arn: info.stateMachineArn,
      aws: { execution_arn: info.executionArn, state_machine_arn: info.stateMachineArn },
    };
    if (header.parent) doc.parent_id = header.parent;
    if (end === undefined) doc.in_progress = true;
    else doc.end_time = end / 1000;
    if (outcome === 'fault') doc.fault = true;
    if (outcome === 'error') doc.error = true;
    if (cause) doc.cause = { exceptions: [{ message: cause }] };
    return doc;
  };
  const parentOf = (thread: string): string => {
    if (!thread) return segmentId;
    // "<parent>/<StartedEventId>.<index>": the iteration or branch of the Map/Parallel started at that event
    const m = /\/(\d+)\.\d+$/.exec(thread);
    return (m && containers.get(Number(m[1]))) ?? segmentId;
  };
  return (ev) => {
    const thread = ev._th;
    if (ev.type === 'ExecutionStarted' || ev.type === 'ExecutionRedriven') {
      sink.put(segment());
      return;
    }
    const ended = ENDED[ev.type];
    if (ended) {
      // states that never exited (an uncaught failure, an abort) end with the execution
      for (const st of open.values()) sink.put(stateDoc(st, ev.timestamp, st.failed ?? { error: ev.type }));
      open.clear();
      const d = (ev.executionFailedEventDetails ?? ev.executionTimedOutEventDetails ?? ev.executionAbortedEventDetails) as { error?: string; cause?: string } | undefined;
      sink.put(segment(ev.timestamp, ended, d?.error ? `${d.error}${d.cause ? `: ${d.cause}` : ''}` : undefined));
      return;
    }
    const entered = ENTERED.exec(ev.type);
    if (entered) {
      const name = (ev.stateEnteredEventDetails as { name?: string } | undefined)?.name ?? entered[1]!;
      open.set(thread, { name, type: entered[1]!, id: stateSegmentId(info.executionArn, ev.id), parentId: parentOf(thread), start: ev.timestamp });
      return;
    }
    const state = open.get(thread);
    if (!state) return;
    if (ev.type === 'MapStateStarted' || ev.type === 'ParallelStateStarted') {
      containers.set(ev.id, state.id);
      return;
    }
    if (/^(Task|LambdaFunction)Succeeded$/.test(ev.type)) {
      state.failed = undefined; // a retry succeeded
      return;
    }
    if (/Failed$|TimedOut$/.test(ev.type)) {
      const d = Object.values(ev).find((v) => v && typeof v === 'object' && ('error' in v || 'cause' in v)) as { error?: string; cause?: string } | undefined;
      state.failed = { error: d?.error ?? ev.type, cause: d?.cause };
      return;
    }
    if (EXITED.test(ev.type)) {
      open.delete(thread);
      // a failure caught by Catch still exits the state: it is recorded on the subsegment
      sink.put(stateDoc(state, ev.timestamp, state.failed));
    }
  };

  function stateDoc(state: OpenState, endMs: number, failed: OpenState['failed']): SegmentDocument {
    const doc: SegmentDocument = {
      name: state.name,
      id: state.id,
      trace_id: header!.root,
      parent_id: state.parentId,
      type: 'subsegment',
      start_time: state.start / 1000,
      end_time: endMs / 1000,
      aws: { state_type: state.type },
    };
    if (failed) {
      doc.fault = true;
      doc.cause = { exceptions: [{ type: failed.error, message: failed.cause ?? failed.error }] };
    }
    return doc;
  }
}
