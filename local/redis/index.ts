/**
 * Redis for the local cloud: the machine's redis-server (Debian package redis-server), listening on
 * 127.0.0.1 only, with AOF + RDB persistence in `dataDir` or no persistence at all.
 *
 * redis-server runs under a small shell watchdog (./watchdog.ts) that stops it as soon as this
 * process's pipe to it closes, so Redis never outlives this process, even one killed by SIGKILL.
 * A process-exit hook additionally SIGTERMs it on an ordinary exit.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OutputLog, exited, stopChild, terminateOnExit } from '../process/child-process';
import { LOOPBACK, findFreePort } from '../process/ports';
import { RedisNotFoundError, RedisStartError } from './errors';
import { findRedisServer } from './find-redis';
import { waitForPing } from './ping';
import { PID_LINE, spawnWithWatchdog } from '../process/watchdog';

export { RedisNotFoundError, RedisStartError } from './errors';
export { findRedisServer } from './find-redis';

export const DEFAULT_REDIS_PORT = 6379;

export interface RedisOptions {
  /** Default 6379; 0 = an ephemeral port. A taken port falls back to a free one. */
  port?: number;
  /** AOF (appendonlydir/) and RDB (dump.rdb) files go here; undefined = no persistence. */
  dataDir?: string;
  log?: (m: string) => void;
  /** redis-server binary; default findRedisServer(). */
  redisBin?: string;
  /** Give up starting after this long (default 15 s). */
  startTimeoutMs?: number;
}

export interface RedisServer {
  /** redis://127.0.0.1:PORT */
  url: string;
  host: string;
  port: number;
  /** pid of redis-server itself (its parent is the watchdog shell). */
  pid: number;
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 10_000;
const PORT_ATTEMPTS = 3;

/** The port was taken between choosing it and Redis binding it: try another. */
class PortRaceError extends Error {}

/**
 * Persistence settings. Without a dataDir Redis saves nothing, and its --dir is a private scratch
 * folder that only an explicit SAVE/BGSAVE from a client would write to; the watchdog deletes it
 * once Redis exits.
 */
function persistenceArgs(dir: string, persistent: boolean): string[] {
  if (persistent) {
    return ['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '3600 1 300 100 60 10000'];
  }
  return ['--dir', dir, '--appendonly', 'no', '--save', ''];
}

async function startOnce(
  redisBin: string,
  port: number,
  dataDir: string | undefined,
  timeoutMs: number,
  log: ((m: string) => void) | undefined,
): Promise<{ pid: number; stop: () => Promise<void> }> {
  const scratchDir = dataDir ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'redis-scratch-'));
  const dir = dataDir ?? (scratchDir as string);
  const args = [
    '--bind',
    LOOPBACK,
    '--port',
    String(port),
    '--protected-mode',
    'yes',
    '--daemonize',
    'no',
    ...persistenceArgs(dir, dataDir !== undefined),
  ];
  const child = spawnWithWatchdog(redisBin, args, { cwd: dir, name: 'redis-watchdog', cleanupDir: scratchDir });
  terminateOnExit(child);
  const output = new OutputLog(child, '[redis]', log);

  let redisPid: number | undefined;
  const pidKnown = new Promise<number>((resolve) => {
    const unwatch = output.watch((line) => {
      const m = PID_LINE.exec(line);
      if (!m) return;
      redisPid = Number(m[1]);
      unwatch();
      resolve(redisPid);
    });
  });
  const spawnError = new Promise<string>((resolve) => child.once('error', (err) => resolve(`cannot run /bin/sh: ${err.message}`)));
  const died =
    child.pid === undefined
      ? spawnError
      : exited(child).then(() => `redis-server exited early (code ${child.exitCode}, signal ${child.signalCode})`);
  const stop = async (): Promise<void> => {
    await stopChild(child, STOP_GRACE_MS, redisPid === undefined ? [] : [redisPid]);
    if (scratchDir) fs.rmSync(scratchDir, { recursive: true, force: true });
  };

  try {
    const first = await Promise.race([pidKnown, died, spawnError]);
    if (typeof first === 'string') throw new Error(first);
    await waitForPing(LOOPBACK, port, timeoutMs, Promise.race([died, spawnError]));
    return { pid: first, stop };
  } catch (err) {
    await stop();
    await output.settled();
    const text = output.text();
    if (/Address already in use/i.test(text)) throw new PortRaceError(text);
    throw new RedisStartError((err as Error).message, text);
  }
}

/** Starts redis-server on 127.0.0.1 and resolves once it answers PING. */
export async function startRedis(opts: RedisOptions = {}): Promise<RedisServer> {
  const redisBin = opts.redisBin ?? findRedisServer();
  if (!redisBin) throw new RedisNotFoundError();
  const { log } = opts;
  const wanted = opts.port ?? DEFAULT_REDIS_PORT;
  const timeoutMs = opts.startTimeoutMs ?? 15_000;
  const dataDir = opts.dataDir ? path.resolve(opts.dataDir) : undefined;
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });

  for (let attempt = 1; ; attempt++) {
    // redis-server cannot bind an ephemeral port itself (--port 0 disables TCP), so pick one here.
    const port = await findFreePort(attempt === 1 && wanted !== 0 ? wanted : undefined);
    if (wanted !== 0 && port !== wanted && attempt === 1) log?.(`[redis] port ${wanted} is taken; using ${port}`);
    try {
      const started = await startOnce(redisBin, port, dataDir, timeoutMs, log);
      let stopping: Promise<void> | undefined;
      return {
        url: `redis://${LOOPBACK}:${port}`,
        host: LOOPBACK,
        port,
        pid: started.pid,
        stop: () => (stopping ??= started.stop()),
      };
    } catch (err) {
      if (!(err instanceof PortRaceError)) throw err;
      if (attempt >= PORT_ATTEMPTS) throw new RedisStartError(`port ${port} in use`, err.message);
      log?.(`[redis] port ${port} was taken meanwhile; retrying`);
    }
  }
}
