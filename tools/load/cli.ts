/**
 * `npm run load -- <scenario> --rate N --duration T`: an open-model load against the running local
 * cloud (`.local/endpoints.json`, or `--data-dir`), or against one it starts itself (`--start`),
 * with a live progress line, then report.json and report.html (latency over time, requests by
 * status, p50/p95/p99, the invariants). Exits 1 when an invariant does not hold.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { numberFlag, parseArgs, parseDuration, stringFlag } from './args';
import { startCloudProcess, type CloudProcess } from './cloud-process';
import { runLoad, writeReport } from './index';
import { stderrProgress } from './progress';
import { SCENARIOS, type Scenario } from './scenarios';
import { readTarget, type Target } from './target';

const USAGE = `usage: npm run load -- <${SCENARIOS.join('|')}> [--rate 20] [--duration 30s] [--settle 420s]
       [--products 8] [--stock N] [--seed 1] [--out DIR] [--data-dir .local | --start]`;

async function main() {
  const args = parseArgs(process.argv.slice(2), ['start', 'help']);
  const scenario = args.positional[0] as Scenario;
  if (args.flags.has('help') || !SCENARIOS.includes(scenario)) {
    console.error(USAGE);
    process.exit(args.flags.has('help') ? 0 : 2);
  }
  const rate = numberFlag(args, 'rate', 20);
  const durationMs = parseDuration(stringFlag(args, 'duration') ?? '30s');
  const settleMs = parseDuration(stringFlag(args, 'settle') ?? '420s');
  const log = (m: string) => process.stderr.write(`${m}\n`);
  let cloud: CloudProcess | undefined;
  let target: () => Target;
  if (args.flags.has('start')) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'load-cloud-'));
    log(`starting a local cloud in ${dir} ...`);
    cloud = await startCloudProcess(path.join(dir, 'data'), { log });
    target = () => cloud!.target();
  } else {
    const t = readTarget(path.resolve(stringFlag(args, 'data-dir') ?? '.local'));
    target = () => t;
  }
  const progress = stderrProgress();
  try {
    const report = await runLoad({
      scenario,
      rate,
      durationMs,
      settleMs,
      target,
      products: numberFlag(args, 'products'),
      stock: numberFlag(args, 'stock'),
      seed: numberFlag(args, 'seed'),
      log: (m) => {
        progress.done();
        log(m);
      },
      onProgress: (p) => progress.update(p),
    });
    progress.done();
    const out = path.resolve(stringFlag(args, 'out') ?? path.join('.local', 'reports', `load-${scenario}-${report.started_at.replace(/[:.]/g, '-')}`));
    const files = writeReport(report, out);
    printSummary(report, files);
    process.exitCode = report.invariants.ok ? 0 : 1;
  } finally {
    await cloud?.stop();
  }
}

export function printSummary(report: import('./report').LoadReport, files: { json: string; html: string }) {
  const l = report.requests.latency_ms;
  const o = report.invariants.orders;
  const lines = [
    `${report.kind === 'chaos' ? `chaos ${report.fault}` : `load ${report.scenario}`}: ${report.requests.sent} requests at ${report.requests.rate_sent}/s; p50 ${l.p50} ms, p95 ${l.p95} ms, p99 ${l.p99} ms`,
    `  by status: ${Object.entries(report.requests.by_status).map(([k, n]) => `${k} ${n}`).join(', ')}`,
    `  orders: ${o.accepted} accepted (${report.orders_per_s}/s), ${o.completed} completed, ${o.cancelled} cancelled, ${o.open} open, ${o.lost} lost; settled after ${o.settled_after_s ?? '-'} s`,
    ...report.faults.map((f) => `  fault: ${f.name} at ${f.at_s} s${f.error ? ` FAILED: ${f.error}` : ''}`),
    ...report.invariants.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}${c.ok ? '' : ` ${JSON.stringify(c.violations.slice(0, 3))}`}`),
    `  report: ${files.json}`,
    `          ${files.html}`,
  ];
  console.log(lines.join('\n'));
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(err.stack ?? err.message);
    process.exit(2);
  });
}
