/**
 * `npm start` as a user runs it, in a child process of its own process group (as a terminal
 * runs it, so that a Ctrl-C can be sent to the group), with its output captured.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { eventually } from './poll';

const root = path.resolve(__dirname, '..', '..');

export interface RunningCli {
  child: ChildProcess;
  output(): string;
  /** the summary's API URL, key and the calls under "Try:" */
  printed: { apiUrl: string; apiKey: string; tryCalls: string[] };
  exited: Promise<number | null>;
}

export async function startCli(dataDir: string, args: string[] = [], timeoutMs = 180_000): Promise<RunningCli> {
  const child = spawn('npm', ['start', ...(args.length ? ['--', ...args] : [])], {
    cwd: root,
    // no flags: the data folder comes from the environment, as a user may set it
    env: { ...process.env, LOCAL_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const printed = await eventually(
    'npm start to print the platform summary',
    () => {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${out.slice(-3000)}`);
      if (!out.includes('Press Ctrl-C to stop.')) return undefined;
      const apiUrl = /^\s+API\s+(http:\/\/\S+)/m.exec(out)?.[1];
      const apiKey = /^\s+API key\s+(\S+)/m.exec(out)?.[1];
      const tryCalls = out.split('\n').filter((l) => /^\s+curl /.test(l)).map((l) => l.trim());
      if (!apiUrl || !apiKey) throw new Error(`no API URL or key in:\n${out}`);
      return { apiUrl, apiKey, tryCalls };
    },
    { timeoutMs, intervalMs: 100 },
  );
  return { child, output: () => out, printed, exited };
}

/** Runs a printed `curl -H 'name: value' URL` line with fetch. */
export async function runCurl(line: string): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const headers: Record<string, string> = {};
  for (const m of line.matchAll(/-H '([^:]+):\s*([^']*)'/g)) headers[m[1]!] = m[2]!;
  const url = /(http:\/\/\S+)\s*$/.exec(line)?.[1];
  if (!url) throw new Error(`no URL in ${line}`);
  const res = await fetch(url, { headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Lines of `ps` whose command line mentions `text` (the processes using a data folder). */
export function processesMentioning(text: string): string[] {
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(text) && !line.includes(' ps -eo'));
}
