/**
 * Compiles LocalLauncher.java once and caches the class file, so later starts skip Java's
 * single-file source mode (which compiles in-process on every start: about 0.45 s more here).
 *
 * The cache lives in the OS temp folder under a name derived from the source text and the java
 * binary, so an edited launcher or another JDK gets its own build. The compiler is the JDK's own
 * jdk.compiler module run through the same `java` binary, so no separate `javac` is needed.
 * When compiling fails, the caller falls back to single-file source mode.
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const LAUNCHER_SOURCE = path.join(__dirname, 'LocalLauncher.java');
export const LAUNCHER_CLASS = 'LocalLauncher';

/** How to run the launcher: extra class path entry plus main class, or the source file itself. */
export type LauncherEntry = { kind: 'compiled'; classDir: string } | { kind: 'source'; sourceFile: string };

export class LauncherCompileError extends Error {
  constructor(message: string, readonly output: string) {
    super(`${message}\n${output}`);
    this.name = 'LauncherCompileError';
  }
}

function cacheDirFor(javaBin: string, source: string): string {
  const hash = createHash('sha256').update(javaBin).update('\0').update(source).digest('hex').slice(0, 16);
  const uid = process.getuid?.() ?? 'user';
  return path.join(os.tmpdir(), `ecommerce-local-dynamodb-${uid}`, hash);
}

/** Refuses a cache folder that someone else owns (the temp folder is shared between users). */
function checkOwner(dir: string): void {
  const uid = process.getuid?.();
  if (uid === undefined || !fs.existsSync(dir)) return;
  if (fs.statSync(dir).uid !== uid) throw new Error(`${dir} belongs to another user; not using it`);
}

function compile(javaBin: string, classPath: string, outDir: string): Promise<void> {
  const args = [
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    '-m',
    'jdk.compiler/com.sun.tools.javac.Main',
    '-nowarn',
    '--release',
    '11', // runs on any JDK from 11 on, should the cached build meet an older `java` than the one that built it
    '-cp',
    classPath,
    '-d',
    outDir,
    LAUNCHER_SOURCE,
  ];
  return new Promise((resolve, reject) => {
    execFile(javaBin, args, { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new LauncherCompileError(`compiling ${LAUNCHER_SOURCE} failed: ${err.message}`, `${stdout}${stderr}`));
      else resolve();
    });
  });
}

/**
 * Returns the compiled launcher, compiling it when the cache has none. Concurrent callers each
 * compile into a private folder and rename it into place; the first rename wins.
 */
export async function compiledLauncher(javaBin: string, classPath: string): Promise<LauncherEntry> {
  const source = fs.readFileSync(LAUNCHER_SOURCE, 'utf8');
  const dir = cacheDirFor(javaBin, source);
  fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o700 });
  checkOwner(path.dirname(dir));
  if (fs.existsSync(path.join(dir, `${LAUNCHER_CLASS}.class`))) return { kind: 'compiled', classDir: dir };
  const scratch = fs.mkdtempSync(`${dir}.tmp-`);
  try {
    await compile(javaBin, classPath, scratch);
    if (!fs.existsSync(path.join(scratch, `${LAUNCHER_CLASS}.class`))) {
      throw new LauncherCompileError(`compiling ${LAUNCHER_SOURCE} produced no ${LAUNCHER_CLASS}.class`, '');
    }
    try {
      fs.renameSync(scratch, dir);
    } catch (err) {
      // Another process won the race; its build is identical.
      if (!fs.existsSync(path.join(dir, `${LAUNCHER_CLASS}.class`))) throw err;
    }
    return { kind: 'compiled', classDir: dir };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
