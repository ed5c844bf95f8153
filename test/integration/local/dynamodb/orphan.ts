/**
 * Starts a service inside a separate Node process (fixtures/start-and-hang.ts), SIGKILLs that
 * process, and reports the service's pid so the caller can check it went away with its parent.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

const FIXTURE = path.join(__dirname, 'fixtures', 'start-and-hang.ts');
const ROOT = path.resolve(__dirname, '../../../..');

/**
 * Runs the fixture for `service`, waits for its JSON line, SIGKILLs it; returns the service's pid,
 * port and working folder (read from /proc before the kill).
 */
export async function startThenKillParent(service: 'dynamodb' | 'redis'): Promise<{ pid: number; port: number; cwd: string }> {
  // One Node process (tsx as a loader, not the tsx CLI, which would add a second process).
  const parent = spawn(process.execPath, ['--import', 'tsx', FIXTURE, service], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  parent.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => parent.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: parent.stdout });
    rl.once('line', resolve);
    parent.once('exit', (code) => reject(new Error(`fixture exited (${code}) before reporting: ${stderr}`)));
  });
  const info = JSON.parse(line) as { pid: number; port: number };
  const cwd = fs.readlinkSync(`/proc/${info.pid}/cwd`);
  parent.kill('SIGKILL');
  await exited;
  return { ...info, cwd };
}
