/**
 * The local cloud as `npm start` runs it, stopped and started again on the same data folder:
 * all of its state is as it was — tables, search index, Redis keys, the Kafka log, committed
 * group offsets, event source mapping checkpoints, quota counters, API keys — and nothing is
 * replayed: once quiet, every function has been invoked exactly as often as before the restart
 * (and a change after the restart flows, so the pollers that would replay are running).
 * Stopping leaves no child process behind.
 */
import { DynamoDBClient, ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalCloud, type LocalCloud } from '../../../../local/cloud';
import { readConfig } from '../../../../local/config';
import type { Endpoints } from '../../../../local/endpoints';
import { platformApp } from '../../../../local/platform';
import { processesMentioning } from '../../../support/cli';
import { eventually } from '../../../support/poll';
import { waitForQuiet } from '../../../support/quiet';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Every item of every table, in a stable order. */
async function tables(e: Endpoints): Promise<Record<string, string[]>> {
  const client = new DynamoDBClient({ endpoint: e.edge_url, region: e.region, credentials });
  try {
    const out: Record<string, string[]> = {};
    for (const table of (await client.send(new ListTablesCommand({}))).TableNames ?? []) {
      const items: string[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start as never }));
        items.push(...(page.Items ?? []).map((i) => JSON.stringify(i, Object.keys(i).sort())));
        start = page.LastEvaluatedKey;
      } while (start);
      out[table] = items.sort();
    }
    return out;
  } finally {
    client.destroy();
  }
}

async function searchIndex(e: Endpoints): Promise<unknown> {
  const res = await fetch(`${e.services.opensearch}/products/_search?size=1000&sort=_id&version=true`);
  const body = (await res.json()) as { hits: { hits: Array<{ _id: string; _version: number; _source: unknown }> } };
  return body.hits.hits.map((h) => [h._id, h._version, h._source]);
}

async function redisKeys(e: Endpoints): Promise<Record<string, string | null>> {
  const redis = new Redis(e.services.redis!, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    const keys = (await redis.keys('*')).sort();
    return Object.fromEntries(await Promise.all(keys.map(async (k) => [k, (await redis.type(k)) === 'string' ? await redis.get(k) : await redis.type(k)] as const)));
  } finally {
    redis.disconnect();
  }
}

async function kafkaLog(e: Endpoints): Promise<Record<string, string>> {
  const admin = new Kafka({ clientId: 'restart-test', brokers: [e.services.kafka!], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const out: Record<string, string> = {};
    for (const topic of (await admin.listTopics()).sort()) {
      for (const p of await admin.fetchTopicOffsets(topic)) out[`${topic}/${p.partition}`] = `${p.low}..${p.high}`;
    }
    return out;
  } finally {
    await admin.disconnect();
  }
}

/** START lines per function log: how often each function has been invoked in this data folder. */
function invocations(dataDir: string): Record<string, number> {
  const dir = path.join(dataDir, 'logs');
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.startsWith('Ecommerce'))
      .map((f) => [f, readFileSync(path.join(dir, f), 'utf8').split('\n').filter((l) => l.startsWith('START RequestId:')).length]),
  );
}

const files = (dir: string) => (existsSync(dir) ? Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')])) : {});

async function state(cloud: LocalCloud) {
  const e = cloud.endpoints;
  const positions = await waitForQuiet(e);
  return {
    positions, // committed offsets and stream checkpoints, as the mappings stand
    tables: await tables(e),
    search: await searchIndex(e),
    redis: await redisKeys(e),
    kafka: await kafkaLog(e),
    checkpoints: files(path.join(e.data_dir, 'esm')),
    apiKeys: e.api_keys,
  };
}

describe('local cloud restart', () => {
  const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'local-cloud-restart-')), 'data');
  const config = () => readConfig(['--no-seed', '--ephemeral-ports', '--data-dir', dataDir, '--quiet']);
  let cloud: LocalCloud | undefined;

  afterAll(async () => {
    await cloud?.stop();
    rmSync(path.dirname(dataDir), { recursive: true, force: true });
  });

  it('keeps all of its state across a restart, replays nothing, and leaves no child process', async () => {
    cloud = await startLocalCloud(config(), { app: platformApp });
    const first = cloud.endpoints;
    const key = { 'x-api-key': first.api_keys.standard!, 'content-type': 'application/json' };
    // changes that touch every store: the products and stock tables and the outbox, Kafka, the
    // search index (through the projection), Redis (a cached read), a quota counter (the standard key)
    const created = await fetch(`${first.api_url}/api/catalog`, {
      method: 'POST',
      headers: key,
      body: JSON.stringify({ product_id: 'RESTART-1', name: 'Restart Lamp', price: 12.5, category: 'Home', brand: 'Acme', stock: 3 }),
    });
    expect(created.status).toBe(201);
    expect((await fetch(`${first.api_url}/api/inventory/RESTART-2/restock`, { method: 'POST', headers: key, body: JSON.stringify({ quantity: 50 }) })).status).toBe(200);
    await eventually('the product to be searchable and in stock', async () => {
      const stock = await fetch(`${first.api_url}/api/inventory/RESTART-1`, { headers: key });
      const search = await fetch(`${first.services.opensearch}/products/_doc/RESTART-1`);
      return stock.status === 200 && search.status === 200 ? true : undefined;
    });
    const read = await fetch(`${first.api_url}/api/catalog/RESTART-1`, { headers: key });
    expect(read.status).toBe(200);

    const before = await state(cloud);
    expect(Object.keys(before.redis).length).toBeGreaterThan(0);
    expect(before.search).toHaveLength(1);
    await cloud.stop();
    cloud = undefined;
    expect(processesMentioning(dataDir)).toEqual([]);
    const quotas = readFileSync(path.join(dataDir, 'apigateway-state.json'), 'utf8');
    expect(JSON.parse(quotas).quotas).not.toEqual({});
    const invokedBefore = invocations(dataDir);

    cloud = await startLocalCloud(config(), { app: platformApp });
    const after = await state(cloud);
    expect(after).toEqual(before);
    expect(readFileSync(path.join(dataDir, 'apigateway-state.json'), 'utf8')).toBe(quotas);
    // quiet again, and not one function ran: no event was replayed, no batch redelivered
    expect(invocations(dataDir)).toEqual(invokedBefore);

    // the pollers are running: a change after the restart reaches Kafka and the stock read model
    const second = cloud.endpoints;
    expect((await fetch(`${second.api_url}/api/inventory/RESTART-2/restock`, { method: 'POST', headers: key, body: JSON.stringify({ quantity: 1 }) })).status).toBe(200);
    await waitForQuiet(second);
    const kafka = await kafkaLog(second);
    const grew = Object.keys(kafka).filter((k) => kafka[k] !== before.kafka[k]);
    expect(grew.length).toBeGreaterThan(0);
    expect(grew.every((k) => k.startsWith('inventory-events/'))).toBe(true);
    expect((await (await fetch(`${second.api_url}/api/inventory/RESTART-2`, { headers: key })).json()) as object).toMatchObject({ available: 51 });
  });
});
