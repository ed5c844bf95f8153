/**
 * Saga executions in memory: what Step Functions answers about named executions (a name is taken
 * once; redrive only from FAILED, ABORTED or TIMED_OUT). Tests set statuses and histories directly.
 */
import type { SagaExecutions, StartResult } from '../../domain/ports';
import type { ExecutionInfo } from '../../domain/reconcile';
import { executionArn, type SagaHistoryEvent, type SagaInput } from '../../domain/saga';

export const TEST_STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:ecommerce-order-saga';

export class InMemorySagaExecutions implements SagaExecutions {
  readonly executions = new Map<string, ExecutionInfo & { input: SagaInput }>();
  readonly histories = new Map<string, SagaHistoryEvent[]>();
  /** calls, in order: `start <name>`, `redrive <name>` */
  readonly calls: string[] = [];
  /** makes the next calls fail (a Step Functions outage) */
  failing?: Error;

  constructor(
    private readonly stateMachineArn = TEST_STATE_MACHINE_ARN,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  executionArn(name: string): string {
    return executionArn(this.stateMachineArn, name);
  }

  async start(name: string, input: SagaInput): Promise<StartResult> {
    if (this.failing) throw this.failing;
    this.calls.push(`start ${name}`);
    if (this.executions.has(name)) return { executionArn: this.executionArn(name), started: false };
    this.executions.set(name, { name, executionArn: this.executionArn(name), status: 'RUNNING', redriveCount: 0, startDate: this.now(), input: structuredClone(input) });
    return { executionArn: this.executionArn(name), started: true };
  }

  async describe(name: string): Promise<ExecutionInfo | undefined> {
    if (this.failing) throw this.failing;
    const e = this.executions.get(name);
    if (!e) return undefined;
    const { input: _input, ...info } = e;
    return { ...info };
  }

  async history(name: string): Promise<SagaHistoryEvent[]> {
    if (this.failing) throw this.failing;
    return [...(this.histories.get(name) ?? [])];
  }

  async redrive(name: string): Promise<void> {
    if (this.failing) throw this.failing;
    this.calls.push(`redrive ${name}`);
    const e = this.executions.get(name);
    if (!e || !['FAILED', 'ABORTED', 'TIMED_OUT'].includes(e.status)) throw new Error(`execution ${name} cannot be redriven`);
    e.status = 'RUNNING';
    e.redriveCount += 1;
  }

  /** Sets an execution's status (what the state machine would have done). */
  set(name: string, status: ExecutionInfo['status'], redriveCount = this.executions.get(name)?.redriveCount ?? 0): void {
    const e = this.executions.get(name);
    if (!e) throw new Error(`no execution ${name}`);
    e.status = status;
    e.redriveCount = redriveCount;
  }
}
