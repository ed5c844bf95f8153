/**
 * The console's first page with 10,000 orders in the local cloud, in a real browser (Debian's
 * chromium through playwright-core), and the size of the console's bundle.
 *
 * The orders are inserted fast rather than run through the saga (10,000 sagas are ~100,000 Lambda
 * invocations): the saga's state machine is switched to a one-Pass-state definition for the
 * inserts (UpdateStateMachine), 10,000 executions named by order ids are started (StartExecution,
 * 32 in flight; each ends SUCCEEDED at once, kept in the Step Functions store like any other), the
 * real definition is put back, and the orders' read-model items are written to the orders table
 * (BatchWriteItem, 25 a request) so that the Orders API knows them. That table has no stream:
 * nothing downstream runs.
 *
 * Measured: from `page.goto` in a fresh browser context (no cache) until the Overview shows its
 * last orders (ListExecutions over the 10,000) and its fifteen metric cards (ListMetrics and one
 * GetMetricData); the services' health cards fill on their own as each health route answers (a
 * cold Lambda takes seconds) and are timed apart. The first run also builds the bundle (esbuild,
 * on the first request) and is reported apart. Then the Orders page (50 executions) and one order.
 */
import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStateMachineCommand, SFNClient, StartExecutionCommand, UpdateStateMachineCommand } from '@aws-sdk/client-sfn';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startLocalCloud } from '../local/cloud';
import { readConfig } from '../local/config';
import { buildConsole } from '../local/console/build';
import { platformApp } from '../local/platform';
import type { BenchOptions } from './run';

const root = path.resolve(__dirname, '..');
const PASS = JSON.stringify({ StartAt: 'Inserted', States: { Inserted: { Type: 'Pass', End: true } } });

async function pool<T>(items: T[], inFlight: number, run: (t: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default async function consoleBench(opts: BenchOptions): Promise<Record<string, unknown>> {
  const orders = opts.quick ? 1000 : 10_000;
  const runs = opts.quick ? 3 : 7;
  const bundle = await buildConsole(root);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-console-'));
  const config = readConfig(['--fresh', '--no-seed', '--ephemeral-ports', '--quiet', '--data-dir', dataDir]);
  const cloud = await startLocalCloud(config, { app: platformApp });
  let browser: Browser | undefined;
  const client = { endpoint: cloud.endpoints.edge_url, region: config.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const sfn = new SFNClient(client);
  const ddb = new DynamoDBClient(client);
  try {
    // 1. the orders
    const insertStarted = performance.now();
    const stateMachineArn = `arn:aws:states:${config.region}:${config.accountId}:stateMachine:ecommerce-order-saga`;
    const { definition } = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    const ids = Array.from({ length: orders }, (_, i) => `ord_${i.toString(16).padStart(8, '0')}${'b'.repeat(24)}`);
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition: PASS }));
    try {
      await pool(ids, 32, (id) => sfn.send(new StartExecutionCommand({ stateMachineArn, name: id, input: JSON.stringify({ order_id: id }) })));
    } finally {
      await sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition }));
    }
    const executionsMs = performance.now() - insertStarted;
    const table = cloud.deployment.tables.find((t) => /OrdersTable/.test(t.name) && !/Events/.test(t.name))!.name;
    const now = new Date().toISOString();
    const chunks = Array.from({ length: Math.ceil(ids.length / 25) }, (_, i) => ids.slice(i * 25, i * 25 + 25));
    await pool(chunks, 8, (chunk) =>
      ddb.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [table]: chunk.map((id, i) => ({
              PutRequest: {
                Item: {
                  order_id: { S: id },
                  user_id: { S: `bench-user-${i % 100}` },
                  status: { S: 'CONFIRMED' },
                  version: { N: '9' },
                  items: { L: [{ M: { product_id: { S: 'PROD-001' }, name: { S: 'Bench item' }, quantity: { N: '1' }, unit_price: { N: '12.5' }, unit_price_minor: { N: '1250' }, line_total_minor: { N: '1250' } } }] },
                  total: { N: '12.5' },
                  total_minor: { N: '1250' },
                  currency: { S: 'USD' },
                  saga_id: { S: stateMachineArn.replace(':stateMachine:', ':execution:') + `:${id}` },
                  placed_at: { S: now },
                  updated_at: { S: now },
                },
              },
            })),
          },
        }),
      ),
    );
    const insertMs = performance.now() - insertStarted;

    // 2. the first page, in a browser
    const root = typeof process.getuid === 'function' && process.getuid() === 0;
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: root ? ['--no-sandbox'] : [] });
    const url = cloud.endpoints.console_url;
    const load = async (hash: string, ready: string[]) => {
      const context = await browser!.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(`${url}${hash}`);
      await Promise.all(ready.map((sel) => page.locator(sel).first().waitFor({ timeout: 60_000 })));
      const ms = performance.now() - started;
      // the page's own clock (from its navigation start): what the browser spent, without the driver's round trips
      // (a string: the bench is typed for Node, whose performance has no navigation entries)
      const inPage = (await page.evaluate(`Object.fromEntries([
        ...performance.getEntriesByType('mark').map((e) => [e.name, Math.round(e.startTime)]),
        ['response_end', Math.round(performance.getEntriesByType('navigation')[0].responseEnd)],
      ])`)) as Record<string, number>;
      let healthMs: number | undefined;
      if (hash === '') {
        await page.locator('[data-health]').nth(5).waitFor({ timeout: 120_000 });
        healthMs = performance.now() - started;
      }
      await context.close();
      return { ms, healthMs, inPage };
    };
    const overviewReady = ['#last-orders tbody tr:nth-child(10)', '#metrics [data-metric="Service health status (API 5xx)"]'];
    const cold = await load('', overviewReady);
    const loadBefore = os.loadavg()[0];
    const warm: Array<{ ms: number; healthMs?: number; inPage: Record<string, number> }> = [];
    for (let i = 0; i < runs; i++) warm.push(await load('', overviewReady));
    const ordersPage: number[] = [];
    const orderPage: number[] = [];
    for (let i = 0; i < Math.min(runs, 3); i++) {
      ordersPage.push((await load('#/orders', ['#orders tbody tr:nth-child(50)'])).ms);
      orderPage.push((await load(`#/orders/${ids[i]}`, ['[data-state="Mode"]', '#order-status'])).ms);
    }
    const ms = warm.map((w) => w.ms);
    return {
      orders,
      insert: { executions_ms: Math.round(executionsMs), total_ms: Math.round(insertMs), how: 'StartExecution on a one-Pass-state definition (then the real one restored) + BatchWriteItem of the read model' },
      bundle: { bytes: bundle.js.length, gzipped_bytes: bundle.gzipped.length, target_gzipped_bytes: 300 * 1024 },
      first_page: {
        what: 'Overview: from page.goto (fresh context, no cache) until the last 10 orders and the 15 metric cards show',
        target_ms: 1000,
        cold_ms: Math.round(cold.ms),
        median_ms: Math.round(median(ms)),
        max_ms: Math.round(Math.max(...ms)),
        runs: ms.map(Math.round),
        health_cards_all_ms_median: Math.round(median(warm.map((w) => w.healthMs ?? 0))),
        in_page_median_ms: {
          response_end: median(warm.map((w) => w.inPage.response_end ?? 0)),
          last_orders: median(warm.map((w) => w.inPage['console:last-orders'] ?? 0)),
          metrics: median(warm.map((w) => w.inPage['console:metrics'] ?? 0)),
        },
        load_average_1m: [Number(loadBefore.toFixed(1)), Number(os.loadavg()[0].toFixed(1))],
      },
      orders_page_50_rows_median_ms: Math.round(median(ordersPage)),
      order_page_median_ms: Math.round(median(orderPage)),
    };
  } finally {
    await browser?.close();
    sfn.destroy();
    ddb.destroy();
    await cloud.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
