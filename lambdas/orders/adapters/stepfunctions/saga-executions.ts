/**
 * The saga's executions on Step Functions (AWS SDK v3; locally the edge endpoint through
 * AWS_ENDPOINT_URL). Executions are named, so each is found from the order id alone: the ARN is
 * the state machine's with `:execution:` and the name.
 */
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import type { ExecutionInfo, ExecutionStatus } from '../../domain/reconcile';
import type { SagaExecutions, StartResult } from '../../domain/ports';
import { executionArn, historyHasFailures, type SagaHistoryEvent, type SagaInput } from '../../domain/saga';

/**
 * StartExecution errors that no retry can cure: the name or the input is refused. (A missing
 * state machine is not among them: it is there once the deployment finishes.)
 */
const PERMANENT_START_ERRORS = new Set(['InvalidName', 'InvalidExecutionInput', 'InvalidArn', 'ValidationException']);
export const isPermanentStartError = (err: unknown): boolean => PERMANENT_START_ERRORS.has((err as Error)?.name);

/** The history of one execution is at most a few hundred events; more pages than this is a bug. */
const MAX_HISTORY_PAGES = 20;

/** The error and cause of whichever `*EventDetails` an event carries. */
function failureOf(e: HistoryEvent): { error?: string; cause?: string } {
  for (const [key, value] of Object.entries(e)) {
    if (!key.endsWith('EventDetails') || !value || typeof value !== 'object') continue;
    const d = value as { error?: string; cause?: string };
    if (d.error !== undefined || d.cause !== undefined) return { error: d.error, cause: d.cause };
  }
  return {};
}

export function toSagaHistoryEvent(e: HistoryEvent): SagaHistoryEvent {
  const stateName = e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name;
  return { type: String(e.type), timestamp: (e.timestamp ?? new Date(0)).toISOString(), ...(stateName ? { stateName } : {}), ...failureOf(e) };
}

export class StepFunctionsSagaExecutions implements SagaExecutions {
  constructor(
    private readonly stateMachineArn: string,
    private readonly client: SFNClient = new SFNClient({}),
  ) {}

  executionArn(name: string): string {
    return executionArn(this.stateMachineArn, name);
  }

  async start(name: string, input: SagaInput, traceHeader?: string): Promise<StartResult> {
    try {
      const out = await this.client.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input), ...(traceHeader ? { traceHeader } : {}) }));
      return { executionArn: out.executionArn ?? this.executionArn(name), started: true };
    } catch (err) {
      // The name is the order's: an execution of it exists, so the saga has started (done).
      if (err instanceof ExecutionAlreadyExists) return { executionArn: this.executionArn(name), started: false };
      throw err;
    }
  }

  async describe(name: string): Promise<ExecutionInfo | undefined> {
    try {
      const out = await this.client.send(new DescribeExecutionCommand({ executionArn: this.executionArn(name) }));
      return {
        name,
        executionArn: out.executionArn ?? this.executionArn(name),
        status: out.status as ExecutionStatus,
        redriveCount: out.redriveCount ?? 0,
        startDate: (out.startDate ?? new Date(0)).toISOString(),
        ...(out.stopDate ? { stopDate: out.stopDate.toISOString() } : {}),
        ...(out.error ? { error: out.error } : {}),
        ...(out.cause ? { cause: out.cause } : {}),
      };
    } catch (err) {
      if (err instanceof ExecutionDoesNotExist) return undefined;
      throw err;
    }
  }

  /**
   * The execution's history, read first without its data: with it, every state's input and output
   * (the order, 40 KB for a completed saga) went out, and was parsed, at every status read. The
   * failures' causes come only with the data, so a history with a failure in it is read again
   * with its data.
   */
  async history(name: string): Promise<SagaHistoryEvent[]> {
    const lean = await this.historyPages(name, false);
    return historyHasFailures(lean) ? this.historyPages(name, true) : lean;
  }

  private async historyPages(name: string, includeExecutionData: boolean): Promise<SagaHistoryEvent[]> {
    const events: SagaHistoryEvent[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const out = await this.client.send(new GetExecutionHistoryCommand({ executionArn: this.executionArn(name), maxResults: 1000, nextToken, includeExecutionData }));
      events.push(...(out.events ?? []).map(toSagaHistoryEvent));
      nextToken = out.nextToken;
    } while (nextToken && ++pages < MAX_HISTORY_PAGES);
    return events;
  }

  async redrive(name: string): Promise<void> {
    await this.client.send(new RedriveExecutionCommand({ executionArn: this.executionArn(name) }));
  }
}
