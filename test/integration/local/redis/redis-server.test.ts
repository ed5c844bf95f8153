/**
 * Redis started by local/redis: answers PING/SET/GET through ioredis on 127.0.0.1 only, persists
 * across a restart with a dataDir, stop() leaves nothing running, a taken preferred port falls
 * back to a free one, and redis-server does not outlive a parent that is SIGKILLed.
 */
import Redis from 'ioredis';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { until } from '../../../support/poll';
import { findFreePort } from '../../../../local/process/ports';
import { RedisStartError, findRedisServer, startRedis, type RedisServer } from '../../../../local/redis';
import { startThenKillParent } from '../dynamodb/orphan';
import { commandLine, listeningAddresses, pidAlive, tryConnect, waitGone } from '../dynamodb/sockets';

const clients: Redis[] = [];
const started: RedisServer[] = [];
const tempDirs: string[] = [];

function connect(server: RedisServer): Redis {
  const client = new Redis(server.url, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  clients.push(client);
  return client;
}

async function start(opts: Parameters<typeof startRedis>[0]): Promise<RedisServer> {
  const server = await startRedis(opts);
  started.push(server);
  return server;
}

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-test-'));
  tempDirs.push(dir);
  return dir;
}

afterAll(async () => {
  for (const c of clients) if (c.status !== 'end') c.disconnect();
  await Promise.all(started.map((s) => s.stop()));
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('a running server', () => {
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await start({ port: 0 });
  });

  test('findRedisServer() finds an executable redis-server', () => {
    const bin = findRedisServer();
    expect(bin).toMatch(/redis-server$/);
    fs.accessSync(bin as string, fs.constants.X_OK);
  });

  test('url, host and pid describe the redis-server process', () => {
    expect(redis.host).toBe('127.0.0.1');
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(commandLine(redis.pid)).toContain('redis-server');
  });

  test('PING, SET and GET work through ioredis', async () => {
    const client = connect(redis);
    expect(await client.ping()).toBe('PONG');
    expect(await client.set('cart:1', JSON.stringify({ items: 2 }))).toBe('OK');
    expect(JSON.parse((await client.get('cart:1')) as string)).toEqual({ items: 2 });
  });

  test('without a dataDir nothing is persisted (no save points, no AOF)', async () => {
    const client = connect(redis);
    expect(await client.config('GET', 'save')).toEqual(['save', '']);
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
  });

  test('the only listening socket on the port is bound to 127.0.0.1', async () => {
    expect(listeningAddresses(redis.port)).toEqual(['127.0.0.1']);
    expect(await tryConnect('127.0.0.2', redis.port)).toBe('ECONNREFUSED');
  });
});

test('data persists across a restart with the same dataDir', async () => {
  const dataDir = tempDir();
  const first = await start({ port: 0, dataDir });
  const a = connect(first);
  expect(await a.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
  await a.set('stock:sku-1', '7');
  await a.hset('order:1', { status: 'PAID', total: '42' });
  a.disconnect();
  await first.stop();
  expect(fs.existsSync(path.join(dataDir, 'dump.rdb')) || fs.existsSync(path.join(dataDir, 'appendonlydir'))).toBe(true);

  const second = await start({ port: 0, dataDir });
  const b = connect(second);
  expect(await b.get('stock:sku-1')).toBe('7');
  expect(await b.hgetall('order:1')).toEqual({ status: 'PAID', total: '42' });
});

test('stop() leaves no redis-server or watchdog process, no listening socket and no scratch folder', async () => {
  const server = await start({ port: 0 });
  const ppid = Number(fs.readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
  expect(commandLine(ppid)).toContain('redis-watchdog');
  const scratch = fs.readlinkSync(`/proc/${server.pid}/cwd`);
  expect(fs.existsSync(scratch)).toBe(true);
  await server.stop();
  expect(fs.existsSync(scratch)).toBe(false);
  expect(pidAlive(server.pid)).toBe(false);
  expect(await waitGone(ppid, 5000)).toBe(true);
  expect(listeningAddresses(server.port)).toEqual([]);
});

test('a preferred port that is taken falls back to a free one', async () => {
  const preferred = await findFreePort();
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(preferred, '127.0.0.1', resolve));
  try {
    const server = await start({ port: preferred });
    expect(server.port).not.toBe(preferred);
    expect(await connect(server).ping()).toBe('PONG');
    await server.stop();
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
  }
});

test('findFreePort returns the preferred port when it is free', async () => {
  const port = await findFreePort();
  expect(await findFreePort(port)).toBe(port);
});

test('redis-server exits when its parent process is SIGKILLed, and its scratch folder goes too', async () => {
  const { pid, port, cwd } = await startThenKillParent('redis');
  expect(path.basename(cwd)).toMatch(/^redis-scratch-/);
  expect(await waitGone(pid, 10_000)).toBe(true);
  expect(listeningAddresses(port)).toEqual([]);
  await until('the scratch folder to go', () => !fs.existsSync(cwd), { timeoutMs: 5_000 });
});

test('a redis-server that dies at start-up gives RedisStartError carrying its output', async () => {
  const redisBin = path.join(tempDir(), 'fake-redis-server');
  fs.writeFileSync(redisBin, '#!/bin/sh\necho "FATAL CONFIG FILE ERROR (fake)"\nexit 1\n', { mode: 0o755 });
  const err = await startRedis({ port: 0, redisBin }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RedisStartError);
  expect((err as RedisStartError).output).toContain('FATAL CONFIG FILE ERROR (fake)');
});
