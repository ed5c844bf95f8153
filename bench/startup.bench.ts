/**
 * Start-up time of the local cloud: from `npm start` (dependencies installed, cdk.out up to
 * date) to the first 200 from the API. Measured for a fresh start (empty data folder, sample
 * data loaded) and for a restart on existing state, a few runs each; `npm start`'s own CLI runs
 * as a child process exactly as a user runs it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchOptions } from './run';
import { ensureSynthesized } from '../local/synth';

const root = path.resolve(__dirname, '..');

async function startOnce(dataDir: string, fresh: boolean): Promise<{ toFirst200Ms: number; stop: () => Promise<void> }> {
  rmSync(path.join(dataDir, 'endpoints.json'), { force: true }); // never poll an earlier run's ports
  const started = performance.now();
  const args = ['start', '--', '--ephemeral-ports', '--quiet', '--data-dir', dataDir, ...(fresh ? ['--fresh'] : [])];
  const child = spawn('npm', args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const endpointsFile = path.join(dataDir, 'endpoints.json');
  let url: string | undefined;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited: ${stderr}`);
    if (!url && existsSync(endpointsFile)) {
      try {
        url = (JSON.parse(readFileSync(endpointsFile, 'utf8')) as { api_url: string }).api_url;
      } catch {
        // being written
      }
    }
    if (url) {
      const res = await fetch(`${url}/api/inventory/health`).catch(() => undefined);
      if (res?.status === 200) break;
    }
    if (performance.now() - started > 120_000) throw new Error('no 200 within 120 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  const toFirst200Ms = performance.now() - started;
  const stop = async () => {
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid!, 'SIGINT');
    await exited;
  };
  return { toFirst200Ms, stop };
}

export default async function startup(opts: BenchOptions) {
  await ensureSynthesized(root, () => {});
  const runs = opts.quick ? 1 : 3;
  const fresh: number[] = [];
  const restart: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-startup-'));
    const a = await startOnce(dataDir, true);
    fresh.push(a.toFirst200Ms);
    await a.stop();
    const b = await startOnce(dataDir, false);
    restart.push(b.toFirst200Ms);
    await b.stop();
    // redis-server may still be writing its snapshot as it stops after the cloud: retried (ENOTEMPTY)
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return {
    target_ms: 5_000, // the budget: `npm start` at or under 5 s to the first 200
    fresh_start_to_first_200_ms: { runs: fresh.map(Math.round), median: Math.round(median(fresh)) },
    restart_to_first_200_ms: { runs: restart.map(Math.round), median: Math.round(median(restart)) },
  };
}
