/**
 * `npm start` exactly as a newcomer runs it: no flags, an empty data folder. What it prints must
 * work: the API URL and key answer, the calls under "Try:" find PROD-001, and the whole sample
 * catalog arrives. Ctrl-C stops everything and exits 0; a SIGKILL of the CLI leaves no Java or
 * Redis behind; the next start finds the state.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readEndpoints } from '../../local/endpoints';
import { SAMPLE_PRODUCTS } from '../../local/platform/sample-products';
import { processesMentioning, runCurl, startCli, type RunningCli } from '../support/cli';
import { eventually, until } from '../support/poll';

const CATEGORIES = new Set(SAMPLE_PRODUCTS.map((p) => p.category));

describe('npm start on an empty data folder, with no flags', () => {
  const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'cli-e2e-')), 'data');
  let cli: RunningCli | undefined;

  afterAll(async () => {
    // a test that failed half-way leaves the CLI running; one killed by a signal has no exit code
    if (cli && cli.child.exitCode === null && cli.child.signalCode === null) {
      try {
        process.kill(-cli.child.pid!, 'SIGKILL');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err; // the group is already gone
      }
      await cli.exited;
    }
    rmSync(path.dirname(dataDir), { recursive: true, force: true });
  });

  it('prints an API URL, a key and calls to try that answer with the sample data', async () => {
    cli = await startCli(dataDir);
    const { apiUrl, apiKey, tryCalls } = cli.printed;
    const output = cli.output();
    expect(output.split('\n').length).toBeLessThanOrEqual(30);
    expect(output).not.toMatch(/Redis version|DYNAMODB_LOCAL_READY|JAXB|NodeVersionSupportWarning|joins|cold start/);

    expect(tryCalls).toHaveLength(2);
    const search = await runCurl(tryCalls.find((c) => c.includes('/api/catalog/search/'))!);
    expect(search.status).toBe(200);
    expect(search.body.items.map((p: { product_id: string }) => p.product_id)).toContain('PROD-001');
    // PROD-001's stock travels through its catalog event to Inventory
    const stock = await eventually('PROD-001 in inventory', async () => {
      const res = await runCurl(tryCalls.find((c) => c.includes('/api/inventory/PROD-001'))!);
      return res.status === 200 ? res.body : undefined;
    });
    expect(stock).toMatchObject({ product_id: 'PROD-001', available: SAMPLE_PRODUCTS[0]!.stock, reserved: 0 });

    // the start-up lines list what the local cloud did with each resource type of the template
    expect(output).toMatch(/deployed: \d+ tables, \d+ functions, 1 REST API, \d+ event source mappings, 5 Kafka topics/);
    expect(output).toMatch(/accepted without local effect: .*AWS::IAM::Role \(\d+\).*AWS::EC2::\* \(network\) \(\d+\)|accepted without local effect: .*AWS::EC2::\* \(network\) \(\d+\).*AWS::IAM::Role \(\d+\)/);
    // fault injection is off unless --fault-injection: the header changes nothing
    const faulted = await fetch(`${apiUrl}/api/inventory/health`, { headers: { 'x-fault-injection': 'error' } });
    expect(faulted.status).toBe(200);

    // the key works on a route the Try lines do not show, and a wrong key does not
    expect((await fetch(`${apiUrl}/api/inventory?limit=1`, { headers: { 'x-api-key': apiKey } })).status).toBe(200);
    expect((await fetch(`${apiUrl}/api/inventory?limit=1`, { headers: { 'x-api-key': 'not-a-key' } })).status).toBe(403);

    // eventually the whole sample catalog: 300 products in 12 categories
    const categories = await eventually(
      'the whole sample catalog to be searchable',
      async () => {
        const res = await fetch(`${apiUrl}/api/catalog/meta/categories`, { headers: { 'x-api-key': apiKey } });
        const body = (await res.json()) as { items: Array<{ category: string; count: number }> };
        const total = body.items.reduce((n, c) => n + c.count, 0);
        return total === SAMPLE_PRODUCTS.length ? body.items : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    expect(categories).toHaveLength(12);
    expect(new Set(categories.map((c) => c.category))).toEqual(CATEGORIES);
  });

  it('stops on Ctrl-C with exit code 0, leaving no process that uses the data folder', async () => {
    process.kill(-cli!.child.pid!, 'SIGINT');
    expect(await cli!.exited).toBe(0);
    expect(processesMentioning(dataDir)).toEqual([]);
  });

  it('finds its state on the next start, and a SIGKILL of it leaves no Java or Redis behind', async () => {
    cli = await startCli(dataDir);
    expect(cli.output()).not.toContain('sample catalog');
    const e = readEndpoints(dataDir);
    const res = await fetch(`${e.api_url}/api/catalog/PROD-001`, { headers: { 'x-api-key': e.api_key } });
    expect(res.status).toBe(200);
    expect(processesMentioning(dataDir).some((l) => l.includes('java'))).toBe(true);
    expect(processesMentioning(dataDir).some((l) => l.includes('redis'))).toBe(true);

    process.kill(e.pid, 'SIGKILL');
    await until('the services to follow the killed local cloud', () => processesMentioning(dataDir).length === 0, { timeoutMs: 15_000 });
    expect(await cli.exited).not.toBe(0); // npm reports its script's death
  });
});
