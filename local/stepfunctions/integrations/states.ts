/**
 * `arn:aws:states:::states:startExecution[.sync|.sync:2|.waitForTaskToken]`: nested executions of this
 * same service. `.sync` waits for the child and returns its description (Input/Output as JSON text;
 * `.sync:2` as JSON values); a child that does not succeed fails the task with States.TaskFailed and the
 * child's description as cause.
 */
import { StatesError } from '../runtime/errors';
import type { Integration, TaskCall } from './types';

export interface ChildDescription {
  ExecutionArn: string;
  StateMachineArn: string;
  Name: string;
  Status: string;
  StartDate: number;
  StopDate?: number;
  Input: string;
  Output?: string;
  Error?: string;
  Cause?: string;
}

export interface NestedExecutions {
  start(p: { stateMachineArn: string; input: unknown; name?: string; traceHeader: string }): Promise<{ executionArn: string; startDate: number }>;
  /** Resolves once the execution has ended. */
  wait(executionArn: string, signal: AbortSignal): Promise<ChildDescription>;
}

export function statesIntegration(nested: NestedExecutions, action: string, mode: '' | 'sync' | 'sync:2' | 'waitForTaskToken'): Integration | null {
  if (action !== 'startExecution') return null;
  return {
    resourceType: 'states',
    resource: mode ? `startExecution.${mode}` : 'startExecution',
    pattern: mode === 'waitForTaskToken' ? 'token' : mode ? 'sync' : 'request',
    async call(c: TaskCall) {
      const p = (c.params ?? {}) as Record<string, unknown>;
      let input: unknown = p.Input ?? {};
      if (typeof input === 'string') {
        try {
          input = JSON.parse(input);
        } catch {
          throw new StatesError('States.Runtime', 'The Input of startExecution is not valid JSON');
        }
      }
      try {
        const r = await nested.start({ stateMachineArn: String(p.StateMachineArn), input, name: typeof p.Name === 'string' ? p.Name : undefined, traceHeader: c.traceHeader });
        return { ExecutionArn: r.executionArn, StartDate: r.startDate };
      } catch (e) {
        const err = e as Error;
        throw new StatesError(`Sfn.${err.name}`, `${err.message} (Service: Sfn, Status Code: 400, Request ID: ${crypto.randomUUID()})`);
      }
    },
    async waitSync(submitted, c) {
      const arn = (submitted as { ExecutionArn: string }).ExecutionArn;
      const d = await nested.wait(arn, c.signal);
      const out: Record<string, unknown> = { ...d };
      if (mode === 'sync:2') {
        out.Input = JSON.parse(d.Input);
        if (d.Output !== undefined) out.Output = JSON.parse(d.Output);
      }
      out.InputDetails = { Included: true };
      if (d.Output !== undefined) out.OutputDetails = { Included: true };
      if (d.Status !== 'SUCCEEDED') throw new StatesError('States.TaskFailed', JSON.stringify(out));
      return out;
    },
  };
}
