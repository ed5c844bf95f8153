/**
 * Keeps cdk.out in step with the sources: a hash of everything that shapes the cloud assembly
 * is stored beside it, and `cdk synth` runs only when the hash changed.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const INPUTS = ['bin', 'lib', 'lambdas', 'statemachines', 'cdk.json', 'package-lock.json', 'tsconfig.json'];
const HASH_FILE = '.source-hash';

function walk(file: string, into: string[]): void {
  if (!existsSync(file)) return;
  if (statSync(file).isDirectory()) {
    for (const entry of readdirSync(file).sort()) if (entry !== 'node_modules') walk(path.join(file, entry), into);
  } else into.push(file);
}

export function sourceHash(projectDir: string): string {
  const files: string[] = [];
  for (const input of INPUTS) walk(path.join(projectDir, input), files);
  const hash = createHash('sha256');
  for (const f of files) hash.update(path.relative(projectDir, f)).update('\0').update(readFileSync(f)).update('\0');
  return hash.digest('hex');
}

export function isAssemblyFresh(projectDir: string, outDir = path.join(projectDir, 'cdk.out')): boolean {
  const file = path.join(outDir, HASH_FILE);
  return existsSync(path.join(outDir, 'manifest.json')) && existsSync(file) && readFileSync(file, 'utf8') === sourceHash(projectDir);
}

/**
 * One synth at a time per project: several local clouds (a test run beside `npm start`) may
 * start together, and the CDK CLI refuses a second synth into the same cdk.out.
 */
async function withSynthLock<T>(projectDir: string, run: () => Promise<T>): Promise<T> {
  const lock = path.join(projectDir, '.synth.lock');
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(lock, 'utf8') || 0);
      let alive = false;
      try {
        process.kill(holder, 0);
        alive = holder > 0;
      } catch {
        alive = false;
      }
      if (!alive) rmSync(lock, { force: true });
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await run();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Runs `cdk synth` unless cdk.out is up to date; resolves whether it synthesized. */
export async function ensureSynthesized(projectDir: string, log: (m: string) => void): Promise<boolean> {
  if (isAssemblyFresh(projectDir)) return false;
  return withSynthLock(projectDir, () => synthesize(projectDir, log));
}

async function synthesize(projectDir: string, log: (m: string) => void): Promise<boolean> {
  if (isAssemblyFresh(projectDir)) return false; // another process synthesized while we waited
  const hash = sourceHash(projectDir);
  log('synthesizing the CDK app (sources changed since the last synth)');
  const cdk = path.join(projectDir, 'node_modules', '.bin', 'cdk');
  await new Promise<void>((ok, fail) => {
    const child = spawn(cdk, ['synth', '--quiet'], { cwd: projectDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`cdk synth failed (exit ${code}):\n${output.slice(-4000)}`))));
  });
  writeFileSync(path.join(projectDir, 'cdk.out', HASH_FILE), hash);
  return true;
}
