/**
 * Step Functions execution logging, as a state machine's LoggingConfiguration asks for it: each
 * history event a level lets through goes, in the shape Step Functions writes to CloudWatch Logs,
 * to `<data>/logs/<state machine>.log` (ALL: every event; ERROR: failures and what ended them;
 * FATAL: executions that failed, aborted or timed out; OFF or no destination: nothing). Execution
 * data (inputs, outputs) only with IncludeExecutionData.
 */
import type { HistoryEvent, StateMachineRef } from './index';

const FATAL = new Set(['ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);
const isError = (type: string) => FATAL.has(type) || /Failed$|TimedOut$|Aborted$/.test(type);
const DATA_KEYS = new Set(['input', 'output', 'inputDetails', 'outputDetails', 'parameters']);

export function executionLogger(write: (stateMachine: string, line: string) => void) {
  return (executionArn: string, event: HistoryEvent, machine: StateMachineRef): void => {
    const config = machine.loggingConfiguration;
    const level = config?.level ?? 'OFF';
    if (level === 'OFF' || !config?.destinations?.length) return;
    if (level === 'ERROR' && !isError(event.type)) return;
    if (level === 'FATAL' && !FATAL.has(event.type)) return;
    const { id, previousEventId, timestamp, type, ...rest } = event;
    const details = Object.values(rest).find((v) => v && typeof v === 'object') as Record<string, unknown> | undefined;
    const shown = details && !config.includeExecutionData ? Object.fromEntries(Object.entries(details).filter(([k]) => !DATA_KEYS.has(k))) : details;
    write(
      machine.name,
      JSON.stringify({
        id: String(id),
        type,
        details: shown ?? {},
        previous_event_id: String(previousEventId),
        event_timestamp: String(timestamp),
        execution_arn: executionArn,
      }),
    );
  };
}
