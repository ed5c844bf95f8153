/**
 * The order saga's definition as `cdk deploy` ships it (statemachines/order-saga.asl.json, an S3
 * asset of the state machine with its substitutions): every Task bounded by a timeout and retried,
 * every step that can fail after another succeeded caught into the compensations, the
 * compensations in reverse order, retried, and never caught into silence (a compensation that
 * still fails ends the execution FAILED, for an operator or the reconciler to redrive).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../lib/app';
import { PAYMENTS_ENV } from '../../lambdas/payments/env';
import { TEMPLATE_ONLY } from '../support/synth';

type State = { Type: string; Next?: string; End?: boolean; Default?: string; Choices?: Array<{ Next: string }>; TimeoutSeconds?: number; Retry?: Array<{ ErrorEquals: string[]; IntervalSeconds?: number; MaxAttempts?: number; BackoffRate?: number; MaxDelaySeconds?: number; JitterStrategy?: string }>; Catch?: Array<{ ErrorEquals: string[]; Next: string }>; Parameters?: { FunctionName?: string; Payload?: { action?: string } } };
const asl = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'statemachines', 'order-saga.asl.json'), 'utf8')) as { StartAt: string; States: Record<string, State> };
const states = asl.States;

const { app, stateless } = buildApp({ outdir: mkdtempSync(path.join(os.tmpdir(), 'cdk-saga-')), context: TEMPLATE_ONLY });
app.synth();
type Resource = { Type: string; Properties: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
const resources = Object.values((Template.fromStack(stateless).toJSON() as { Resources: Record<string, Resource> }).Resources);

/** The states reachable from `from` (following Next, Default, Choices and Catch). */
function reachable(from: string, seen = new Set<string>()): Set<string> {
  if (seen.has(from)) return seen;
  seen.add(from);
  const s = states[from]!;
  for (const n of [s.Next, s.Default, ...(s.Choices ?? []).map((c) => c.Next), ...(s.Catch ?? []).map((c) => c.Next)]) if (n) reachable(n, seen);
  return seen;
}
const tasks = Object.entries(states).filter(([, s]) => s.Type === 'Task');

describe('the order saga as deployed', () => {
  it('is the ASL file, deployed with its substitutions, traced and logged', () => {
    const [machine] = resources.filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
    expect(machine!.Properties.DefinitionS3Location).toBeDefined();
    expect(Object.keys(machine!.Properties.DefinitionSubstitutions).sort()).toEqual(['InventoryTasksFunctionArn', 'OrderEventsBusName', 'OrdersTasksFunctionArn', 'PaymentsTasksFunctionArn']);
    const placeholders = new Set([...JSON.stringify(asl).matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    expect([...placeholders].sort()).toEqual(Object.keys(machine!.Properties.DefinitionSubstitutions).sort());
    expect(machine!.Properties.TracingConfiguration).toEqual({ Enabled: true });
    expect(machine!.Properties.LoggingConfiguration.Level).toBe('ALL');
    // the order's data stays in the execution's history, out of the log group
    expect(machine!.Properties.LoggingConfiguration.IncludeExecutionData).toBe(false);
  });

  it('bounds every Task with a timeout and retries each one', () => {
    expect(tasks.length).toBeGreaterThanOrEqual(14);
    for (const [name, s] of tasks) {
      expect([name, typeof s.TimeoutSeconds]).toEqual([name, 'number']);
      expect([name, (s.Retry ?? []).length > 0]).toEqual([name, true]);
    }
  });

  it('catches each forward step that can fail after another succeeded into the compensations, in reverse order', () => {
    const compensations = ['RefundPayment', 'ReleaseInventory'];
    // where a failure of each step leads: what it undid must be undone, and nothing it did not
    const expected: Record<string, string[]> = { ReserveInventory: ['ReleaseInventory'], TakePayment: compensations, ConfirmOrder: compensations };
    for (const [step, undo] of Object.entries(expected)) {
      const caught = states[step]!.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'));
      expect([step, caught !== undefined]).toEqual([step, true]);
      const after = reachable(caught!.Next);
      for (const c of undo) expect([step, c, after.has(c)]).toEqual([step, c, true]);
      expect([step, after.has('CancelOrder')]).toEqual([step, true]);
    }
    // refund before release, cancel last: the compensation path in order
    const path: string[] = [];
    for (let at: string | undefined = 'RefundPayment'; at; at = states[at]!.Next) path.push(at);
    expect(path.filter((s) => ['RefundPayment', 'ReleaseInventory', 'CancelOrder'].includes(s))).toEqual(['RefundPayment', 'ReleaseInventory', 'CancelOrder']);
  });

  it('retries the compensations with backoff and catches none of them into silence', () => {
    for (const name of ['RefundPayment', 'ReleaseInventory']) {
      const s = states[name]!;
      expect([name, s.Catch]).toEqual([name, undefined]);
      const all = s.Retry!.find((r) => r.ErrorEquals.includes('States.ALL'))!;
      expect([name, all.MaxAttempts! >= 5, (all.BackoffRate ?? 2) > 1]).toEqual([name, true, true]);
    }
  });

  it("keeps asking to refund past the breaker's open window (a charge that failed with a 503 is asked of the provider, behind the breaker)", () => {
    const payments = resources.find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.[PAYMENTS_ENV.circuitOpenSeconds] !== undefined)!;
    const openSeconds = Number(payments.Properties.Environment.Variables[PAYMENTS_ENV.circuitOpenSeconds]);
    expect(openSeconds).toBe(60);
    const r = states.RefundPayment!.Retry!.find((x) => x.ErrorEquals.includes('CircuitOpenError'))!;
    // without jitter the waits are what they say; with full jitter they could all be near zero
    expect(r.JitterStrategy ?? 'NONE').toBe('NONE');
    let total = 0;
    for (let i = 0; i < r.MaxAttempts!; i++) total += Math.min(r.IntervalSeconds! * (r.BackoffRate ?? 2) ** i, r.MaxDelaySeconds ?? Infinity);
    expect(total).toBeGreaterThanOrEqual(2 * openSeconds);
  });
});
