/**
 * The middleware stack of functions that Step Functions (or another function) invokes
 * directly. Input is validated with a zod schema; a domain error is rethrown with its class
 * name so that a state machine can catch it by name, and unexpected errors keep their name too.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { ValidationError } from './errors';
import { applyFault } from './middleware/fault-injection';
import { observability } from './middleware/observability';
import { taskFailures } from './middleware/task-failures';
import { zodDetails } from './validation';

export function parseInput<S extends z.ZodType>(input: unknown, schema: S): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError('task input is invalid', zodDetails(result.error));
  return result.data;
}

export function taskHandler<I, O>(handler: (input: I, context: Context) => Promise<O>) {
  return middy<I, O>(handler).use(observability({ correlationIdPath: 'correlation_id' })).use(taskFailures());
}

/**
 * A fault the saga carries for one of its steps (`{"step": "confirm", "kind": "crash"}`), set
 * when the order was placed with fault injection on; see statemachines/README.md.
 */
export interface StepFault {
  step: string;
  kind: string;
}

/** Applies the saga's fault when it names this step and injection is on in this function. */
export async function applyStepFault(fault: StepFault | null | undefined, step: string, enabled: boolean): Promise<void> {
  if (fault && fault.step === step) await applyFault(fault.kind, enabled);
}

export type TaskAction<O = unknown> = (input: Record<string, unknown>, context: Context) => Promise<O>;

/**
 * One task function serving several steps of the saga, chosen by the input's `action`
 * (`{"action": "reserve", ...}`), so that a service's saga steps share one warm function.
 * An unknown action is a ValidationError naming the ones there are.
 */
export function taskRouter(actions: Record<string, TaskAction>): TaskAction {
  return async (input, context) => {
    const action = typeof input?.action === 'string' ? input.action : undefined;
    const run = action ? actions[action] : undefined;
    if (!run) {
      throw new ValidationError('unknown task action', [{ field: 'action', message: `expected one of ${Object.keys(actions).join(', ')}; got ${JSON.stringify(input?.action)}` }]);
    }
    return run(input, context);
  };
}
