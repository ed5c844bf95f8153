/**
 * `npm run chaos -- <fault>`: load (the orders scenario by default) while one fault is injected,
 * then the invariants. Starts a local cloud of its own in a temporary folder (fault injection on;
 * `cloud-killed` needs it), or uses a running one with `--data-dir` (started with
 * `--fault-injection`). Exits 1 when an invariant does not hold.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { numberFlag, parseArgs, parseDuration, stringFlag } from '../load/args';
import { printSummary } from '../load/cli';
import { startCloudProcess, type CloudProcess } from '../load/cloud-process';
import { runLoad, writeReport } from '../load/index';
import { stderrProgress } from '../load/progress';
import { SCENARIOS, type Scenario } from '../load/scenarios';
import { readTarget, type Target } from '../load/target';
import { FAULTS, planFault, type Fault } from './faults';

const USAGE = `usage: npm run chaos -- <${FAULTS.join('|')}> [--scenario orders] [--rate 10] [--duration 60s]
       [--fault-duration 30s] [--settle 420s] [--out DIR] [--data-dir DIR (a cloud started with --fault-injection)]`;

async function main() {
  const args = parseArgs(process.argv.slice(2), ['help']);
  const fault = args.positional[0] as Fault;
  const scenario = (stringFlag(args, 'scenario') ?? 'orders') as Scenario;
  if (args.flags.has('help') || !FAULTS.includes(fault) || !SCENARIOS.includes(scenario)) {
    console.error(USAGE);
    process.exit(args.flags.has('help') ? 0 : 2);
  }
  const rate = numberFlag(args, 'rate', 10);
  const durationMs = parseDuration(stringFlag(args, 'duration') ?? '60s');
  const settleMs = parseDuration(stringFlag(args, 'settle') ?? '420s');
  const faultArg = stringFlag(args, 'fault-duration');
  const log = (m: string) => process.stderr.write(`${m}\n`);
  let cloud: CloudProcess | undefined;
  let target: () => Target;
  const dataDir = stringFlag(args, 'data-dir');
  if (dataDir) {
    const t = readTarget(path.resolve(dataDir));
    target = () => t;
  } else {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'chaos-cloud-'));
    log(`starting a local cloud in ${dir} ...`);
    cloud = await startCloudProcess(path.join(dir, 'data'), { log });
    target = () => cloud!.target();
  }
  const progress = stderrProgress();
  const say = (m: string) => {
    progress.done();
    log(m);
  };
  try {
    const plan = planFault(fault, { target, cloud, durationMs, faultMs: faultArg ? parseDuration(faultArg) : undefined, log: say });
    const report = await runLoad({
      kind: 'chaos',
      fault,
      scenario,
      rate,
      durationMs,
      settleMs,
      target,
      schedule: plan.schedule,
      heal: plan.heal,
      log: say,
      onProgress: (p) => progress.update(p),
    });
    progress.done();
    const out = path.resolve(stringFlag(args, 'out') ?? path.join('.local', 'reports', `chaos-${fault}-${report.started_at.replace(/[:.]/g, '-')}`));
    printSummary(report, writeReport(report, out));
    process.exitCode = report.invariants.ok ? 0 : 1;
  } finally {
    await cloud?.stop();
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(2);
});
