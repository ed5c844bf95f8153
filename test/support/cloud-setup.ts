/**
 * Jest global setup of the integration and e2e layers: starts the local cloud (`npm start`'s
 * own CLI, on free ports, in a temporary data folder, with fault injection on) as a child
 * process, and hands its endpoints file to the test workers through LOCAL_CLOUD_ENDPOINTS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const STARTUP_TIMEOUT_MS = 180_000; // includes a cdk synth on a fresh clone

declare global {
  var __localCloud: { child: ChildProcess; dataDir: string } | undefined;
}

export default async function setup(): Promise<void> {
  if (process.env.LOCAL_CLOUD_ENDPOINTS && existsSync(process.env.LOCAL_CLOUD_ENDPOINTS)) return; // a cloud is already up
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-test-'));
  const dataDir = path.join(runDir, 'data');
  const logFile = path.join(runDir, 'cloud.log');
  const out = openSync(logFile, 'a');
  const child = spawn(
    path.join(root, 'node_modules', '.bin', 'tsx'),
    ['local/cli.ts', '--no-seed', '--ephemeral-ports', '--fault-injection', '--data-dir', dataDir],
    { cwd: root, stdio: ['ignore', out, out], env: { ...process.env, LOCAL_CLOUD_TEST: '1' } },
  );
  globalThis.__localCloud = { child, dataDir };
  const endpointsFile = path.join(dataDir, 'endpoints.json');
  const started = Date.now();
  while (!existsSync(endpointsFile)) {
    if (child.exitCode !== null) throw new Error(`the local cloud exited (${child.exitCode}):\n${readFileSync(logFile, 'utf8').slice(-4000)}`);
    if (Date.now() - started > STARTUP_TIMEOUT_MS) {
      child.kill('SIGKILL');
      throw new Error(`the local cloud did not start in ${STARTUP_TIMEOUT_MS / 1000}s:\n${readFileSync(logFile, 'utf8').slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  process.env.LOCAL_CLOUD_ENDPOINTS = endpointsFile;
}
