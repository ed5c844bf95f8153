/**
 * Helpers for the long-running service processes of the local cloud (DynamoDB Local, Redis):
 * keeping their recent output for error messages, waiting for a line, stopping them with
 * SIGTERM then SIGKILL, and signalling them when this Node process exits.
 *
 * Orphan protection does not rest on the exit hook alone: every service is spawned with its stdin
 * as a pipe from this process and exits when that pipe reaches end of file, which the kernel
 * guarantees when this process dies in any way (even SIGKILL). The exit hook only speeds up the
 * ordinary case. No SIGINT/SIGTERM handlers are installed, so the host program keeps its own
 * signal behaviour.
 */
import type { ChildProcess } from 'node:child_process';
import readline from 'node:readline';

/** Keeps the last lines a child printed (stdout and stderr) and lets callers watch for lines. */
export class OutputLog {
  private readonly lines: string[] = [];
  private readonly watchers = new Set<(line: string) => void>();
  private readonly ended: Promise<void>[] = [];

  constructor(
    child: ChildProcess,
    private readonly prefix: string,
    private readonly log?: (m: string) => void,
    private readonly keep = 200,
  ) {
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
      rl.on('line', (line) => this.add(line));
      this.ended.push(new Promise((resolve) => rl.once('close', () => resolve())));
    }
  }

  /** Resolves once both output streams have ended, or after `maxMs` (a grandchild may hold them open). */
  async settled(maxMs = 500): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise<void>((resolve) => (timer = setTimeout(resolve, maxMs)));
    await Promise.race([Promise.all(this.ended), cap]);
    clearTimeout(timer);
  }

  private add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.keep) this.lines.shift();
    this.log?.(`${this.prefix} ${line}`);
    for (const watcher of this.watchers) watcher(line);
  }

  /** The retained output, for error messages. */
  text(): string {
    return this.lines.join('\n');
  }

  /** Calls `fn` for every line printed from now on; returns the unsubscribe function. */
  watch(fn: (line: string) => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }
}

/** True while the child was spawned and has neither exited nor been killed by a signal. */
export function isRunning(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

/** Resolves once the child has exited (immediately when it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (!isRunning(child)) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function delay(ms: number): Promise<'timeout'> {
  return new Promise((resolve) => setTimeout(() => resolve('timeout'), ms).unref());
}

/**
 * Stops a child: closes its stdin (its watchdog then exits), sends SIGTERM, waits up to `graceMs`,
 * then SIGKILLs it and waits for the exit. `extraPids` are killed alongside (e.g. the real server
 * behind a shell wrapper).
 */
export async function stopChild(child: ChildProcess, graceMs: number, extraPids: number[] = []): Promise<void> {
  const done = exited(child);
  child.stdin?.end();
  if (isRunning(child)) child.kill('SIGTERM');
  if ((await Promise.race([done.then(() => 'exited' as const), delay(graceMs)])) === 'timeout') {
    child.kill('SIGKILL');
    for (const pid of extraPids) signalPid(pid, 'SIGKILL');
    await done;
  }
  for (const pid of extraPids) {
    if (await waitPidGone(pid, graceMs)) continue;
    signalPid(pid, 'SIGKILL');
    await waitPidGone(pid, graceMs);
  }
}

/** Sends a signal to a pid, ignoring "no such process". */
export function signalPid(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Polls until no process has this pid (true) or the time is up (false). */
export async function waitPidGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (signalPid(pid, 0)) {
    if (Date.now() > deadline) return false;
    await delay(20);
  }
  return true;
}

const tracked = new Set<ChildProcess>();
let hooked = false;

/** SIGTERMs the child when this Node process exits (normally or through process.exit). */
export function terminateOnExit(child: ChildProcess): void {
  tracked.add(child);
  child.once('exit', () => tracked.delete(child));
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const c of tracked) if (isRunning(c)) c.kill('SIGTERM');
  });
}
