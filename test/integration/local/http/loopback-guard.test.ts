/**
 * Every local HTTP listener refuses DNS-rebinding requests (a Host that is not a loopback name)
 * and cross-origin writes from browsers (a foreign Origin on a non-GET), and still serves
 * loopback clients: the AWS SDK, plain HTTP clients, a console page on a loopback origin.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createApiGateway } from '../../../../local/apigateway';
import { startEdge } from '../../../../local/edge';
import { startEventBridgeServer } from '../../../../local/eventbridge';
import { createOpenSearchServer } from '../../../../local/opensearch';
import { createPaymentProvider } from '../../../../local/payment-provider';
import { staticApiKey } from '../../../../local/payment-provider/auth';
import { startSecretsManagerServer } from '../../../../local/secretsmanager';

interface Listener {
  name: string;
  port: number;
  close(): Promise<void>;
}

const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-'));
  dirs.push(d);
  return d;
};
const listeners: Listener[] = [];
const account = { region: 'us-east-1', accountId: '000000000000' };

beforeAll(async () => {
  const edge = await startEdge({ port: 0, services: [] });
  const gw = await createApiGateway({
    port: 0,
    apis: [{ id: 'guardapi01', name: 'g', stageName: 'prod', resources: [{ path: '/ping', methods: [{ httpMethod: 'ANY', apiKeyRequired: false, integration: { type: 'MOCK', statusCode: 200, body: '{"pong":true}' } }] }], apiKeys: [], usagePlans: [] }],
    invoke: () => Promise.reject(new Error('no functions here')),
  });
  const search = await createOpenSearchServer({ port: 0, dataDir: tempDir() });
  const pay = await createPaymentProvider({ dataDir: tempDir(), apiKey: staticApiKey('sk_test_guard') });
  const events = await startEventBridgeServer({ dataDir: tempDir(), ...account });
  const secrets = await startSecretsManagerServer({ dataDir: tempDir(), ...account });
  listeners.push(
    { name: 'edge', port: edge.port, close: () => edge.close() },
    { name: 'apigateway', port: gw.port, close: () => gw.close() },
    { name: 'opensearch', port: search.port, close: () => search.close() },
    { name: 'payment-provider', port: pay.port, close: () => pay.close() },
    { name: 'eventbridge', port: events.port, close: () => events.close() },
    { name: 'secretsmanager', port: secrets.port, close: () => secrets.close() },
  );
});

afterAll(async () => {
  await Promise.all(listeners.map((l) => l.close()));
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

interface Reply {
  status: number;
  body: string;
  connection: string | undefined;
}

function request(port: number, method: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: '/prod/ping', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString(), connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** An HTTP/1.0 request with no Host header at all, over a raw socket. */
function requestWithoutHost(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write('GET /prod/ping HTTP/1.0\r\n\r\n'));
    let text = '';
    s.on('data', (d) => (text += d.toString()));
    s.on('end', () => resolve(text));
    s.on('error', reject);
  });
}

const GUARD = 'the local cloud answers loopback clients only';
const refusedByGuard = (r: Reply) => r.status === 403 && r.body.includes(GUARD);

test('a Host that is not a loopback name is refused with 403 by every listener (DNS rebinding)', async () => {
  for (const l of listeners) {
    for (const host of [`rebound.example:${l.port}`, 'rebound.example', `127.0.0.1.nip.io:${l.port}`]) {
      const r = await request(l.port, 'GET', { host });
      expect([l.name, host, r.status, JSON.parse(r.body)]).toEqual([l.name, host, 403, { message: `Forbidden: Host "${host}" is not a loopback name (${GUARD})` }]);
      expect(r.connection).toBe('close');
    }
    expect([l.name, await requestWithoutHost(l.port)]).toEqual([l.name, expect.stringMatching(/^HTTP\/1\.1 403 Forbidden\r\n[\s\S]*the request has no Host header/)]);
  }
});

test('loopback names pass, with or without a port', async () => {
  for (const l of listeners) {
    for (const host of [`127.0.0.1:${l.port}`, `localhost:${l.port}`, `[::1]:${l.port}`, 'localhost']) {
      const r = await request(l.port, 'GET', { host });
      expect([l.name, host, refusedByGuard(r)]).toEqual([l.name, host, false]);
    }
  }
});

test('cross-origin writes are refused; reads, loopback origins (the local console) and clients without Origin pass', async () => {
  for (const l of listeners) {
    const host = `127.0.0.1:${l.port}`;
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const r = await request(l.port, method, { host, origin: 'https://evil.example', 'content-type': 'text/plain' }, 'x');
      expect([l.name, method, r.status, JSON.parse(r.body).message]).toEqual([l.name, method, 403, `Forbidden: cross-origin ${method} from "https://evil.example" is not allowed (${GUARD})`]);
    }
    const passing = [
      await request(l.port, 'GET', { host, origin: 'https://evil.example' }),
      await request(l.port, 'POST', { host, origin: `http://localhost:${l.port}`, 'content-type': 'application/json' }, '{}'),
      await request(l.port, 'POST', { host, origin: 'http://127.0.0.1:5173', 'content-type': 'application/json' }, '{}'),
      await request(l.port, 'POST', { host, 'content-type': 'application/json' }, '{}'),
    ];
    expect([l.name, passing.map(refusedByGuard)]).toEqual([l.name, [false, false, false, false]]);
  }
  // The API Gateway route answers a console page's write as usual.
  const gw = listeners.find((l) => l.name === 'apigateway')!;
  expect(await request(gw.port, 'POST', { host: `localhost:${gw.port}`, origin: `http://localhost:${gw.port}` }, '{}')).toMatchObject({ status: 200, body: '{"pong":true}' });
});

test('the AWS SDK (no Origin, Host 127.0.0.1:port) is served as before', async () => {
  const sm = listeners.find((l) => l.name === 'secretsmanager')!;
  const client = new SecretsManagerClient({ endpoint: `http://127.0.0.1:${sm.port}`, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const out = await client.send(new CreateSecretCommand({ Name: 'guard/secret', SecretString: 'v' }));
  expect(out.Name).toBe('guard/secret');
  client.destroy();
});

test('a GET an <img> or a link on another site sends (Sec-Fetch-Site: cross-site, no Origin) is refused; one typed by the user passes', async () => {
  // The query protocol (SQS, SNS) takes GET /?Action=..., so a cross-site GET can write.
  for (const l of listeners) {
    const host = `127.0.0.1:${l.port}`;
    const r = await request(l.port, 'GET', { host, 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'image' });
    expect([l.name, r.status, JSON.parse(r.body).message]).toEqual([l.name, 403, `Forbidden: cross-site GET without an Origin is not allowed (${GUARD})`]);
    const typed = await request(l.port, 'GET', { host, 'sec-fetch-site': 'none', 'sec-fetch-dest': 'document' });
    expect([l.name, refusedByGuard(typed)]).toEqual([l.name, false]);
  }
});
