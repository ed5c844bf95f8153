/**
 * `npm run load` and `npm run chaos` at a small load on a local cloud of their own (chaos stops
 * its services and kills it, so it cannot share the suite's cloud): the report's shape, and for
 * each fault the invariant report with nothing lost, nothing oversold, no money unaccounted.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FAULTS, planFault, type Fault } from '../../tools/chaos/faults';
import { startCloudProcess, type CloudProcess } from '../../tools/load/cloud-process';
import { runLoad, writeReport, type LoadReport } from '../../tools/load';

const INVARIANTS = ['no_oversold_unit', 'orders_at_an_end', 'payments_accounted', 'completed_orders_paid', 'stock_conserved', 'no_stuck_reservation'];
const log = (m: string) => process.stderr.write(`[load-chaos] ${m}\n`);

/** The failed checks, named, so that a failure says which invariant broke and how. */
const failed = (r: LoadReport) => r.invariants.checks.filter((c) => !c.ok);

describe('load and chaos runs, each ending in its invariant report', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'load-chaos-e2e-'));
  let cloud: CloudProcess;
  const target = () => cloud.target();

  beforeAll(async () => {
    cloud = await startCloudProcess(path.join(root, 'data'), { log });
  }, 600_000);

  afterAll(async () => {
    await cloud?.stop();
    rmSync(root, { recursive: true, force: true });
  }, 120_000);

  it('a short orders run: the report in JSON and HTML, requests by status, percentiles, the invariants holding', async () => {
    const report = await runLoad({ scenario: 'orders', rate: 2, durationMs: 8_000, settleMs: 420_000, target, products: 3, stock: 6, log });
    const files = writeReport(report, path.join(root, 'load-report'));
    const json = JSON.parse(readFileSync(files.json, 'utf8')) as LoadReport;
    expect(json).toEqual(report);
    expect(existsSync(files.html)).toBe(true);
    expect(readFileSync(files.html, 'utf8')).toContain('<svg');
    expect(report.requests.sent).toBe(16);
    expect(Object.values(report.requests.by_status).reduce((a, b) => a + b, 0)).toBe(16);
    expect(report.requests.latency_ms.p50).toBeLessThanOrEqual(report.requests.latency_ms.p95);
    expect(report.requests.latency_ms.p95).toBeLessThanOrEqual(report.requests.latency_ms.p99);
    expect(report.timeline).toHaveLength(8);
    expect(report.invariants.checks.map((c) => c.name)).toEqual(INVARIANTS);
    expect(failed(report)).toEqual([]);
    const o = report.invariants.orders;
    expect(o.accepted).toBeGreaterThan(0);
    expect(o.completed + o.cancelled).toBe(o.accepted + o.found_unacknowledged);
    // 16 orders of up to 6 units over 3 products of 6 units: some are refused for stock, none oversold
    expect(report.invariants.stock.every((s) => s.available >= 0 && s.committed <= s.start)).toBe(true);
  }, 900_000);

  const cases: Array<[Fault, number]> = FAULTS.map((f) => [f, f === 'kafka-stopped' ? 10_000 : 6_000]);
  it.each(cases)('%s: load through the fault, then nothing lost', async (fault, faultMs) => {
    const durationMs = 15_000;
    const plan = planFault(fault, { target, cloud, durationMs, faultMs, log });
    const report = await runLoad({ kind: 'chaos', fault, scenario: 'orders', rate: 1, durationMs, settleMs: 420_000, target, products: 3, stock: 20, schedule: plan.schedule, heal: plan.heal, log });
    writeReport(report, path.join(root, `chaos-${fault}`));
    expect(report.faults).toHaveLength(1);
    expect(report.faults[0]!.error).toBeUndefined();
    expect(report.invariants.checks.map((c) => c.name)).toEqual(INVARIANTS);
    expect(failed(report)).toEqual([]);
    expect(report.invariants.orders.lost).toBe(0);
    expect(report.invariants.orders.open).toBe(0);
  }, 900_000);
});
