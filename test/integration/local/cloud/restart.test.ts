/**
 * The local cloud as `npm start` runs it, started and stopped in this test: state survives a
 * restart (tables, API keys, the Kafka log), and stopping it leaves no child process behind.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { startLocalCloud, type LocalCloud } from '../../../../local/cloud';
import { readConfig } from '../../../../local/config';
import { platformApp } from '../../../../local/platform';

const processesUsing = (dir: string) =>
  execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(dir) && !line.includes(' ps -eo'));

async function topicMessageCount(bootstrap: string, topic: string): Promise<number> {
  const admin = new Kafka({ clientId: 'restart-test', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

describe('local cloud restart', () => {
  const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'local-cloud-restart-')), 'data');
  const config = () => readConfig(['--no-seed', '--ephemeral-ports', '--data-dir', dataDir, '--quiet']);
  let cloud: LocalCloud | undefined;

  afterAll(async () => {
    await cloud?.stop();
    rmSync(path.dirname(dataDir), { recursive: true, force: true });
  });

  it('keeps tables, keys and the event log across a restart, and stops every child process', async () => {
    cloud = await startLocalCloud(config(), { app: platformApp });
    const first = cloud.endpoints;
    const key = first.api_keys.internal!;
    const put = await fetch(`${first.api_url}/api/inventory/RESTART-1/restock`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ quantity: 50 }),
    });
    expect(put.status).toBe(200);
    // the restock event and the stock level (50 is above the low-stock threshold: no alert) reach inventory-events
    let events = 0;
    for (let i = 0; i < 100 && events < 2; i++) {
      events = await topicMessageCount(first.services.kafka!, 'inventory-events');
      if (events < 2) await new Promise((r) => setTimeout(r, 100));
    }
    expect(events).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 1000)); // let the stream mappings checkpoint what they published
    await cloud.stop();
    cloud = undefined;
    expect(processesUsing(dataDir)).toEqual([]);

    cloud = await startLocalCloud(config(), { app: platformApp });
    const second = cloud.endpoints;
    expect(second.api_keys).toEqual(first.api_keys);
    const read = await fetch(`${second.api_url}/api/inventory/RESTART-1`, { headers: { 'x-api-key': key } });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ product_id: 'RESTART-1', available: 50, version: 1 });
    // the log kept what it had (delivery is at least once, so a replay may add, never remove)
    expect(await topicMessageCount(second.services.kafka!, 'inventory-events')).toBeGreaterThanOrEqual(events);
  });
});
