/**
 * DynamoDB Local for the local cloud, listening on 127.0.0.1 only.
 *
 * Runs the DynamoDBLocal.jar shipped in the npm package amplify-dynamodb-simulator through
 * LocalLauncher.java, which serves DynamoDB Local's request handler from a Jetty connector bound to
 * 127.0.0.1 (the jar's own command line binds every interface). sharedDb mode: every access key and
 * region sees the same tables. Telemetry is off. Tables live in memory unless `dataDir` is given.
 *
 * The Java process exits when its stdin pipe closes, so it never outlives this process.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OutputLog, exited, isRunning, stopChild, terminateOnExit } from '../process/child-process';
import { DynamoDbLocalStartError } from './errors';
import { locateDynamoDbLocalJar } from './jar';
import { LAUNCHER_CLASS, compiledLauncher, type LauncherEntry } from './launcher-build';
import { listTables } from './list-tables';
import { LOOPBACK } from '../process/ports';

export { DynamoDbLocalJarNotFoundError, DynamoDbLocalStartError } from './errors';
export { findFreePort } from '../process/ports';

export const DEFAULT_DYNAMODB_PORT = 8001;

export interface DynamoDbLocalOptions {
  /** 8000 is taken by API Gateway; default 8001; 0 = an ephemeral port. A taken port falls back to an ephemeral one. */
  port?: number;
  /** Persist tables here (DynamoDB Local -dbPath); undefined = in memory. */
  dataDir?: string;
  log?: (m: string) => void;
  /** java binary; default $JAVA_HOME/bin/java, else `java` on PATH. */
  javaBin?: string;
  /** Give up starting after this long (default 30 s). */
  startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/**
 * JVM flags chosen for start-up time. Measured on the 2-core machine, start to first ListTables:
 * about 0.56 s with these, 0.69 s without skipping verification, 0.95 s with JVM defaults.
 * - C1 only, the serial collector, no perf-data file, the JDK's class-data sharing archive. An
 *   application CDS archive is not possible: the jar's manifest Class-Path names its own folder,
 *   which CDS refuses.
 * - Bytecode verification of the (trusted, locally installed) jar is skipped: it is a large share
 *   of class-loading time. IgnoreUnrecognizedVMOptions keeps a future JDK that drops a flag working.
 * Peak speed is lower with C1 only, which suits a local development server.
 */
const JVM_FLAGS = [
  '-XX:+IgnoreUnrecognizedVMOptions',
  '-XX:TieredStopAtLevel=1',
  '-XX:+UseSerialGC',
  '-XX:-UsePerfData',
  '-Xshare:auto',
  '-XX:+UnlockDiagnosticVMOptions',
  '-XX:-BytecodeVerificationRemote',
  '-Xss512k',
  // Memory (the platform's budget is 1 GB): a 192 MB heap that gives back what a burst took, and a
  // small code cache (C1 only). Measured with 8 writers of 2-item transactions: about 160 MB
  // resident instead of 212, and no fewer transactions a second.
  '-Xmx192m',
  '-XX:MinHeapFreeRatio=10',
  '-XX:MaxHeapFreeRatio=30',
  '-XX:ReservedCodeCacheSize=32m',
  '-Djava.net.preferIPv4Stack=true',
];

const READY = /^DYNAMODB_LOCAL_READY port=(\d+)$/;
const STOP_GRACE_MS = 10_000;

function defaultJava(): string {
  const home = process.env.JAVA_HOME;
  if (home && fs.existsSync(path.join(home, 'bin', 'java'))) return path.join(home, 'bin', 'java');
  return 'java';
}

async function launcherEntry(javaBin: string, classPath: string, log?: (m: string) => void): Promise<LauncherEntry> {
  try {
    return await compiledLauncher(javaBin, classPath);
  } catch (err) {
    log?.(`[dynamodb] could not compile the launcher, using single-file source mode: ${(err as Error).message}`);
    return { kind: 'source', sourceFile: path.join(__dirname, `${LAUNCHER_CLASS}.java`) };
  }
}

/** Starts DynamoDB Local and resolves once a ListTables call succeeds. */
export async function startDynamoDbLocal(opts: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const { log } = opts;
  const wanted = opts.port ?? DEFAULT_DYNAMODB_PORT;
  const javaBin = opts.javaBin ?? defaultJava();
  const timeoutMs = opts.startTimeoutMs ?? 30_000;
  const jar = locateDynamoDbLocalJar();
  const entry = await launcherEntry(javaBin, jar.classPath, log);

  const launcherArgs = ['--host', LOOPBACK, '--port', String(wanted)];
  if (wanted !== 0) launcherArgs.push('--fallback-port');
  if (opts.dataDir) {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    launcherArgs.push('--db-path', path.resolve(opts.dataDir));
  }
  const javaArgs = [...JVM_FLAGS, `-Djava.library.path=${jar.libDir}`];
  if (entry.kind === 'compiled') javaArgs.push('-cp', [entry.classDir, jar.classPath].join(path.delimiter), LAUNCHER_CLASS);
  else javaArgs.push('-cp', jar.classPath, entry.sourceFile);
  javaArgs.push(...launcherArgs);

  const child = spawn(javaBin, javaArgs, {
    cwd: opts.dataDir ? path.resolve(opts.dataDir) : os.tmpdir(),
    env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group: a Ctrl-C in the terminal reaches only this process, which stops the
    // services in order (functions and pollers before the stores they use). The stdin pipe still
    // ends the child when this process dies, however it dies.
    detached: true,
  });
  child.stdin.on('error', () => undefined); // EPIPE once the child is gone
  terminateOnExit(child);
  const output = new OutputLog(child, '[dynamodb]', log);

  const fail = async (reason: string): Promise<never> => {
    await stopChild(child, 2000);
    await output.settled();
    throw new DynamoDbLocalStartError(reason, output.text());
  };

  const spawnError = new Promise<string>((resolve) => child.once('error', (err) => resolve(`cannot run ${javaBin}: ${err.message}`)));
  let unwatch = (): void => undefined;
  const ready = new Promise<number>((resolve) => {
    unwatch = output.watch((line) => {
      const m = READY.exec(line);
      if (m) resolve(Number(m[1]));
    });
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no ready line within ${timeoutMs} ms`), timeoutMs);
  });
  const died =
    child.pid === undefined
      ? spawnError
      : exited(child).then(() => `java exited early (code ${child.exitCode}, signal ${child.signalCode})`);

  try {
    const first = await Promise.race([ready, spawnError, timedOut, died]);
    if (typeof first === 'string') return await fail(first);
    const port = first;
    const endpoint = `http://${LOOPBACK}:${port}`;
    if (wanted !== 0 && port !== wanted) log?.(`[dynamodb] port ${wanted} is taken; using ${port}`);

    // The ready line comes after Jetty started; one ListTables proves requests are served.
    let lastError = '';
    for (;;) {
      if (!isRunning(child)) return await fail(`java exited before answering ListTables (${lastError})`);
      try {
        await listTables(endpoint);
        break;
      } catch (err) {
        lastError = (err as Error).message;
      }
      const outcome = await Promise.race([timedOut, new Promise<void>((r) => setTimeout(r, 50))]);
      if (typeof outcome === 'string') return await fail(`ListTables kept failing: ${lastError}`);
    }

    let stopping: Promise<void> | undefined;
    return {
      endpoint,
      port,
      pid: child.pid as number,
      stop: () => (stopping ??= stopChild(child, STOP_GRACE_MS)),
    };
  } finally {
    clearTimeout(timer);
    unwatch();
  }
}
