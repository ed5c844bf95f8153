/**
 * One load run: the run's products, the open-model load (with faults at their times, for chaos),
 * a settle period, the invariants, the report. What `npm run load`, `npm run chaos` and the tests
 * call.
 */
import { checkInvariants } from './invariants';
import { buildReport, type LoadReport } from './report';
import { prepareFixture, runLoadPhase, type LoadPhaseOptions, type LoadProgress } from './runner';
import type { Scenario } from './scenarios';
import type { Target } from './target';

export interface RunLoadOptions {
  scenario: Scenario;
  rate: number;
  durationMs: number;
  target: () => Target;
  settleMs?: number;
  products?: number;
  stock?: number;
  seed?: number;
  timeoutMs?: number;
  /** chaos: faults at offsets of the load phase */
  schedule?: LoadPhaseOptions['schedule'];
  /** chaos: undoes the fault (if the schedule did not) before the settle period */
  heal?: () => Promise<void>;
  kind?: LoadReport['kind'];
  fault?: string;
  log?: (m: string) => void;
  onProgress?: (p: LoadProgress) => void;
}

export async function runLoad(o: RunLoadOptions): Promise<LoadReport> {
  const startedAt = new Date();
  const settleMs = o.settleMs ?? 420_000;
  const fixture = await prepareFixture(o.target, { scenario: o.scenario, rate: o.rate, durationMs: o.durationMs, products: o.products, stock: o.stock, log: o.log });
  o.log?.(`load: ${o.scenario} at ${o.rate}/s for ${o.durationMs / 1000} s`);
  const load = await runLoadPhase({
    scenario: o.scenario,
    rate: o.rate,
    durationMs: o.durationMs,
    target: o.target,
    fixture,
    seed: o.seed,
    timeoutMs: o.timeoutMs,
    schedule: o.schedule,
    onProgress: o.onProgress,
  });
  if (o.heal) await o.heal();
  o.log?.(`load done: ${load.records.length} requests, ${load.accepted.length} orders accepted; checking the invariants (settle up to ${settleMs / 1000} s)`);
  const invariants = await checkInvariants(o.target, fixture, load, { settleMs, log: o.log });
  return buildReport({ kind: o.kind ?? 'load', scenario: o.scenario, fault: o.fault, startedAt, rate: o.rate, settleMs, fixture, apiUrl: o.target().apiUrl, load, invariants });
}

export { writeReport, renderHtml, type LoadReport } from './report';
export { SCENARIOS, type Scenario } from './scenarios';
export { readTarget, targetOf, type Target } from './target';
