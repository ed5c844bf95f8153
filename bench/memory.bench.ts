/**
 * Memory of the whole platform with every service warm: `npm start` (its own CLI, as a user runs
 * it, with the sample data) on an empty data folder; then every service is exercised through the
 * API as a user would (each route, an order through the saga when Orders is deployed) and every
 * function not reached that way is invoked once through the Lambda API, so that each has a warm
 * execution environment; once the platform is quiet, the resident memory of the local cloud's
 * process tree (Node, its worker threads, DynamoDB Local's JVM, Redis) is summed from /proc, once
 * right after the exercise and once steady (a burst's extra environments reaped, one per function).
 * Budget: under 1 GB.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Endpoints } from '../local/endpoints';
import { ensureSynthesized } from '../local/synth';
import type { BenchOptions } from './run';

const root = path.resolve(__dirname, '..');
const BUDGET_MB = 1024;

function children(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone
    }
  }
  return out;
}

function tree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...children(all[i]!));
  return all;
}

function rssMb(pid: number): { name: string; mb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const name = /^Name:\s+(.*)$/m.exec(status)?.[1] ?? '?';
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0);
  return { name, mb: Math.round(kb / 102.4) / 10 };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Each service's routes, exercised as a user would (a key, real ids from the sample data). */
async function exercise(e: Endpoints): Promise<void> {
  const h = { 'x-api-key': e.api_keys.internal!, 'content-type': 'application/json' };
  const get = (p: string) => fetch(`${e.api_url}${p}`, { headers: h }).then((r) => r.arrayBuffer());
  const post = (p: string, body: unknown, extra: Record<string, string> = {}) =>
    fetch(`${e.api_url}${p}`, { method: 'POST', headers: { ...h, ...extra }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: await r.json().catch(() => null) }));
  for (const service of ['catalog', 'inventory', 'orders', 'payments', 'notifications']) await get(`/api/${service}/health`);
  await get('/api/catalog?limit=5');
  await get('/api/catalog/search/headphones');
  await get('/api/catalog/PROD-001');
  await get('/api/inventory?limit=5');
  await get('/api/inventory/PROD-001');
  await post('/api/inventory/PROD-002/restock', { quantity: 1 });
  const order = await post('/api/orders', { user_id: 'user123', items: [{ product_id: 'PROD-003', quantity: 1 }] });
  if (order.status === 202) {
    await waitFor('the order to reach an end', async () => {
      const s = (await fetch(`${e.api_url}/api/orders/${(order.body as { order_id: string }).order_id}`, { headers: h }).then((r) => r.json())) as { status?: string };
      return s.status && /CONFIRMED|COMPLETED|CANCELLED/.test(s.status) ? s : undefined;
    }, 60_000);
    await get('/api/orders?user_id=user123');
    await get('/api/payments/none');
    await get('/api/notifications/history?user_id=user123');
  }
}

export default async function memory(opts: BenchOptions) {
  await ensureSynthesized(root, () => undefined);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-memory-'));
  const child = spawn('npm', ['start', '--', '--ephemeral-ports', '--quiet', '--data-dir', dataDir], { cwd: root, stdio: 'ignore', detached: true });
  try {
    const e = await waitFor('npm start', async () => (existsSync(path.join(dataDir, 'endpoints.json')) ? (JSON.parse(readFileSync(path.join(dataDir, 'endpoints.json'), 'utf8')) as Endpoints) : undefined), 180_000);
    const idle = tree(e.pid).map(rssMb);
    // the sample catalog finishes loading (300 products)
    await waitFor('the sample catalog', async () => (existsSync(path.join(dataDir, 'sample-data.json')) ? true : undefined), 180_000);
    await exercise(e);
    // every function not warmed by the exercise gets one invocation (its result does not matter)
    const lambda = new LambdaClient({ endpoint: e.edge_url, region: e.region, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const logs = path.join(dataDir, 'logs');
    const invoked = new Set(readdirSync(logs).filter((f) => readFileSync(path.join(logs, f), 'utf8').includes('START RequestId')).map((f) => f.replace(/\.log$/, '')));
    // the platform's own functions (CDK's custom-resource providers run only during a deploy in AWS)
    const direct = e.functions.filter((f) => f.startsWith('EcommerceStateless-') && !invoked.has(f));
    for (const fn of direct) await lambda.send(new InvokeCommand({ FunctionName: fn, Payload: Buffer.from('{}') })).catch(() => undefined);
    lambda.destroy();
    const busy = tree(e.pid).map(rssMb);
    // steady: the extra environments of bursts are reaped after 30 s idle, one per function stays
    // warm; an execution environment is a thread, so steady is when the thread count has not fallen
    // for longer than the 30 s an extra environment may stay idle
    const threads = () => readdirSync(`/proc/${e.pid}/task`).length;
    let last = threads();
    let stableSince = Date.now();
    const giveUp = Date.now() + (opts.quick ? 15_000 : 240_000);
    while (Date.now() < giveUp && Date.now() - stableSince < 45_000) {
      await new Promise((r) => setTimeout(r, 2_000));
      const now = threads();
      if (now < last) stableSince = Date.now();
      last = now;
    }
    const warm = tree(e.pid).map(rssMb);
    const total = Math.round(warm.reduce((n, p) => n + p.mb, 0));
    const byName: Record<string, number> = {};
    for (const p of warm) byName[p.name] = Math.round((byName[p.name] ?? 0) + p.mb);
    return {
      budget_mb: BUDGET_MB,
      functions: e.functions.length,
      warmed_directly: direct,
      after_start_mb: Math.round(idle.reduce((n, p) => n + p.mb, 0)),
      right_after_exercise_mb: Math.round(busy.reduce((n, p) => n + p.mb, 0)),
      warm_total_mb: total,
      threads_when_warm: last,
      within_budget: total < BUDGET_MB,
      by_process_mb: byName,
    };
  } finally {
    process.kill(-child.pid!, 'SIGINT');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
