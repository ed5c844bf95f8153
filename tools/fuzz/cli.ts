/**
 * `npm run fuzz [-- --requests 10000 --concurrency 8 --seed 7 --data-dir .local | --start]`:
 * malformed requests across every route of the API (read from the synthesized template), then a
 * report of 5xx, dropped connections, error bodies off the platform's shape, and crashes.
 * Exits 1 on any finding.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { numberFlag, parseArgs, stringFlag } from '../load/args';
import { startCloudProcess, type CloudProcess } from '../load/cloud-process';
import { readTarget, type Target } from '../load/target';
import { readEndpoints } from '../../local/endpoints';
import { fuzzCases } from './cases';
import { runFuzz } from './fuzzer';
import { routesFromTemplate } from './routes';

async function main() {
  const args = parseArgs(process.argv.slice(2), ['start']);
  const n = numberFlag(args, 'requests', 10_000);
  const log = (m: string) => process.stderr.write(`${m}\n`);
  let cloud: CloudProcess | undefined;
  let target: Target;
  let dataDir: string;
  if (args.flags.has('start')) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fuzz-cloud-'));
    cloud = await startCloudProcess(path.join(dir, 'data'), { log });
    target = cloud.target();
    dataDir = cloud.dataDir;
  } else {
    dataDir = path.resolve(stringFlag(args, 'data-dir') ?? '.local');
    target = readTarget(dataDir);
  }
  try {
    const routes = routesFromTemplate(path.resolve(stringFlag(args, 'cdk-out') ?? 'cdk.out'));
    const e = readEndpoints(dataDir);
    log(`fuzzing ${routes.length} routes with ${n} requests`);
    const result = await runFuzz(fuzzCases(routes, n, { seed: numberFlag(args, 'seed', 7), keys: { internal: target.apiKey, standard: e.api_keys.standard ?? e.api_key } }), {
      apiUrl: target.apiUrl,
      concurrency: numberFlag(args, 'concurrency', 8),
      onProgress: (done) => log(`  ${done}/${n}`),
    });
    const out = path.resolve(stringFlag(args, 'out') ?? path.join('.local', 'reports', `fuzz-${new Date().toISOString().replace(/[:.]/g, '-')}`));
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'report.json'), JSON.stringify({ routes, ...result }, null, 2) + '\n');
    const v = result.by_verdict;
    console.log(
      [
        `fuzz: ${result.total} requests over ${routes.length} routes in ${result.duration_s} s`,
        `  by status: ${Object.entries(result.by_status).map(([k, c]) => `${k} ${c}`).join(', ')}`,
        `  5xx: ${v['server-error']} (+${v['documented-5xx']} documented); dropped: ${v.dropped}; off-shape: ${v['off-shape']}; leaks: ${v.leak}; crashes: ${result.crashes.length}`,
        `  sent again alone: ${result.confirmed.resent}; still 5xx: ${result.confirmed['server-error']}, still dropped: ${result.confirmed.dropped}`,
        ...result.findings
          .slice(0, 30)
          .map((f) => `  ${f.verdict}${f.reproduced === false ? ' (did not recur)' : ''} ${f.status} ${f.method} ${f.path.slice(0, 80)} [${f.kind}] ${f.body.slice(0, 160)}`),
        `  report: ${path.join(out, 'report.json')}`,
      ].join('\n'),
    );
    const bad = result.confirmed['server-error'] + result.confirmed.dropped + v['off-shape'] + v.leak + result.crashes.length;
    process.exitCode = bad ? 1 : 0;
  } finally {
    await cloud?.stop();
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(2);
});
