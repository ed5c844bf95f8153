/**
 * A local cloud of the load tools' own: `npm start`'s CLI in a child process (its own process
 * group, output to a log file), on free ports with fault injection on, in a data folder that
 * outlives the process, so that a chaos run can kill it with SIGKILL and start it again on the
 * same state.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readEndpoints } from '../../local/endpoints';
import { targetOf, type Target } from './target';

const root = path.resolve(__dirname, '..', '..');

export interface CloudProcess {
  dataDir: string;
  target(): Target;
  /** SIGKILL to the cloud's process (its services' watchdogs end with it), then waits until nothing of it is left */
  kill9(): Promise<void>;
  /** starts it again on the same data folder (new ports) */
  restart(): Promise<Target>;
  /** SIGINT, as Ctrl-C: a clean stop */
  stop(): Promise<void>;
  logFile: string;
}

export async function startCloudProcess(dataDir: string, opts: { timeoutMs?: number; log?: (m: string) => void } = {}): Promise<CloudProcess> {
  mkdirSync(dataDir, { recursive: true });
  const logFile = path.join(path.dirname(dataDir), `${path.basename(dataDir)}-cloud.log`);
  let child: ChildProcess;
  let target: Target;

  const boot = async () => {
    const out = openSync(logFile, 'a');
    child = spawn(process.execPath, ['--import', 'tsx', 'local/cli.ts', '--no-seed', '--ephemeral-ports', '--fault-injection', '--data-dir', dataDir], {
      cwd: root,
      stdio: ['ignore', out, out],
      detached: true,
      env: { ...process.env, LOCAL_CLOUD_TEST: '1' },
    });
    closeSync(out);
    const deadline = Date.now() + (opts.timeoutMs ?? 600_000);
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the local cloud exited (${child.exitCode}):\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
      const file = path.join(dataDir, 'endpoints.json');
      if (existsSync(file)) {
        const e = readEndpoints(dataDir);
        if (e.pid === child.pid) {
          target = targetOf(e);
          return target;
        }
      }
      if (Date.now() > deadline) {
        killGroup(child.pid!);
        throw new Error(`the local cloud did not start in time:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
      }
      await pause(200);
    }
  };
  await boot();
  opts.log?.(`local cloud started (pid ${child!.pid}, data ${dataDir})`);

  const gone = async () => {
    const deadline = Date.now() + 60_000;
    while (processesUsing(dataDir).length) {
      if (Date.now() > deadline) {
        for (const pid of processesUsing(dataDir)) killPid(pid);
      }
      await pause(200);
    }
  };

  return {
    dataDir,
    logFile,
    target: () => target,
    async kill9() {
      killPid(child.pid!);
      await new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
      await gone();
    },
    restart: boot,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGINT');
      const timer = setTimeout(() => killGroup(child.pid!), 60_000);
      await exited;
      clearTimeout(timer);
      await gone();
    },
  };
}

/** pids of processes whose command line names the data folder (the cloud and the services it started) */
function processesUsing(dataDir: string): number[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(dataDir) && !l.includes(' ps -eo'))
    .map((l) => Number(l.trim().split(/\s+/)[0]))
    .filter((pid) => pid !== process.pid && Number.isInteger(pid));
}

function killPid(pid: number) {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function killGroup(pid: number) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    killPid(pid);
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
