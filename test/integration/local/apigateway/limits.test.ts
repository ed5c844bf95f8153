/**
 * No way in through the API Gateway emulator: the route and the API key are checked before a
 * byte of the body is read, bodies over the 10 MB payload limit are refused at once (declared
 * or streamed), with AWS's answer, and bodies over Lambda's 6 MB invoke limit get API Gateway's
 * 413 "Request Too Long". Real HTTP clients (node:http for bodies that never finish, fetch)
 * against the real Lambda runtime.
 */
import http from 'node:http';
import net from 'node:net';
import { type ApiGatewayHandle, createApiGateway, type MethodSpec } from '../../../../local/apigateway';
import { LambdaRuntime } from '../../../../local/lambda';
import { fixtureFunction } from '../../../support/functions';

const KEY = 'limits-key-00000000000000000000000001';
const post = (extra: Partial<MethodSpec> = {}): MethodSpec => ({ httpMethod: 'POST', apiKeyRequired: false, integration: { type: 'AWS_PROXY', functionName: 'lim-ok' }, ...extra });

const runtime = new LambdaRuntime();
let gw: ApiGatewayHandle;

beforeAll(async () => {
  runtime.register(fixtureFunction('lim-ok', 'proxy.ok'));
  gw = await createApiGateway({
    port: 0,
    apis: [
      {
        id: 'limitsapi1',
        name: 'limits',
        stageName: 'prod',
        resources: [
          { path: '/open', methods: [post()] },
          { path: '/keyed', methods: [post({ apiKeyRequired: true })] },
        ],
        apiKeys: [{ id: 'k-lim', name: 'lim', value: KEY, enabled: true }],
        usagePlans: [{ id: 'plan-lim', name: 'lim', apiStages: [{ apiId: 'limitsapi1', stage: 'prod' }], keyIds: ['k-lim'] }],
      },
    ],
    invoke: (name, event, opts) => runtime.invoke(name, event, opts),
  });
});

afterAll(async () => {
  await gw.close();
  await runtime.close();
});

interface Early {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * Starts a POST whose body is never finished: sends the headers and `send` bytes, then waits for
 * an answer. Resolves with it, or rejects when none comes while the body is still pending (the
 * gateway waiting for the rest of the body is exactly the defect).
 */
function unfinishedPost(path: string, headers: Record<string, string | number>, send: number, timeoutMs = 8000): Promise<Early> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: gw.port, method: 'POST', path, headers: { 'content-type': 'application/octet-stream', ...headers }, agent: false });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer to ${path} within ${timeoutMs} ms while the body was pending`));
    }, timeoutMs);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() });
      });
    });
    req.on('error', () => undefined); // the gateway closing the connection under an unsent body
    for (let sent = 0; sent < send; sent += 64 * 1024) req.write(Buffer.alloc(Math.min(64 * 1024, send - sent), 97));
  });
}

describe('the key before the body', () => {
  test('a missing or wrong API key is answered 403 while the body is still being sent, and the connection closed', async () => {
    for (const key of [undefined, 'not-a-key']) {
      const r = await unfinishedPost('/prod/keyed', { 'content-length': 8 * 1024 * 1024, ...(key ? { 'x-api-key': key } : {}) }, 64 * 1024);
      expect([r.status, JSON.parse(r.body), r.headers['x-amzn-errortype'], r.headers.connection]).toEqual([403, { message: 'Forbidden' }, 'ForbiddenException', 'close']);
    }
  });

  test('an unknown route is answered 403 Missing Authentication Token without reading the body', async () => {
    const r = await unfinishedPost('/prod/nowhere', { 'content-length': 8 * 1024 * 1024 }, 64 * 1024);
    expect([r.status, JSON.parse(r.body), r.headers.connection]).toEqual([403, { message: 'Missing Authentication Token' }, 'close']);
  });

  test('with the right key the body is read and the function invoked', async () => {
    const res = await fetch(`${gw.url}/prod/keyed`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }) });
    expect(res.status).toBe(200);
  });
});

describe('the 10 MB payload limit', () => {
  const AWS_413 = 'HTTP content length exceeded 10485760 bytes.';

  test('a declared Content-Length over 10 MB is refused at once, before route and key, with the answer AWS gives', async () => {
    for (const path of ['/prod/keyed', '/prod/open', '/prod/nowhere']) {
      const r = await unfinishedPost(path, { 'content-length': 10 * 1024 * 1024 + 1 }, 64 * 1024);
      expect([path, r.status, r.body, r.headers['content-type'], r.headers.connection, r.headers['x-amzn-requestid']]).toEqual([path, 413, AWS_413, 'text; charset=utf-8', 'close', undefined]);
    }
  });

  test('a chunked body is refused as soon as it crosses 10 MB, not when it ends', async () => {
    const r = await unfinishedPost('/prod/open', { 'transfer-encoding': 'chunked' }, 10 * 1024 * 1024 + 64 * 1024);
    expect([r.status, r.body, r.headers.connection]).toEqual([413, AWS_413, 'close']);
  });

  test('exactly 10 MB is not refused by the gateway (it is over Lambda\'s limit instead)', async () => {
    const res = await fetch(`${gw.url}/prod/open`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: Buffer.alloc(10 * 1024 * 1024, 97) });
    expect(res.status).toBe(413);
    expect(await res.text()).toBe('{"message": "Request Too Long"}');
  });
});

describe("Lambda's 6 MB invoke limit", () => {
  test('a body whose event is over 6 MB gets API Gateway\'s 413 {"message": "Request Too Long"} (BadRequestException)', async () => {
    const res = await fetch(`${gw.url}/prod/open`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: Buffer.alloc(7 * 1024 * 1024, 97) });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.text()).toBe('{"message": "Request Too Long"}');
  });

  test('a body just under the limit still reaches the function', async () => {
    const res = await fetch(`${gw.url}/prod/open`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: Buffer.alloc(6 * 1024 * 1024 - 16 * 1024, 97) });
    expect(res.status).toBe(200);
  });
});

/**
 * Sends raw requests on one connection, one after the other's answer, and collects everything
 * the gateway writes until it closes the connection; `reset` when it resets instead.
 */
function onOneConnection(requests: string[]): Promise<{ text: string; reset: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(gw.port, '127.0.0.1');
    let text = '';
    let next = 0;
    const send = () => socket.write(requests[next++]);
    socket.on('connect', send);
    socket.on('data', (c: Buffer) => {
      text += c.toString('latin1');
      // the answer to the request just sent is complete: send the next one
      if (next < requests.length && text.split('HTTP/1.1 ').length - 1 === next && /\r\n\r\n[^]*$/.test(text) && text.endsWith('}')) send();
    });
    socket.on('error', () => resolve({ text, reset: true }));
    socket.on('close', (hadError) => resolve({ text, reset: hadError }));
  });
}

describe('a request line or headers past 16 KB', () => {
  const longGet = `GET /prod/open?cursor=${'x'.repeat(20 * 1024)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
  const smallPost = 'POST /prod/open HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi';

  test('is answered 431 and the connection closed gracefully, not reset', async () => {
    const r = await onOneConnection([longGet]);
    expect(r.reset).toBe(false);
    expect(r.text).toBe('HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });

  test('is answered 431 too when it comes second on a keep-alive connection', async () => {
    const r = await onOneConnection([smallPost, longGet]);
    expect(r.reset).toBe(false);
    const answers = r.text.split(/(?=HTTP\/1\.1 )/);
    expect(answers.map((a) => a.slice(0, 12))).toEqual(['HTTP/1.1 200', 'HTTP/1.1 431']);
  });
});

describe('a body refused before it is read', () => {
  /**
   * Sends the headers of a POST, waits for the gateway's early answer, then goes on sending
   * `more` bytes of the body and closes its side: what it read, and whether the connection ended
   * cleanly or with a reset (a close with unread bytes is a reset, and a client that is slower to
   * read than to upload then sees the reset instead of the answer).
   */
  function answerThenKeepSending(path: string, headers: string, more: number): Promise<{ answer: string; reset: boolean }> {
    return new Promise((resolve) => {
      // half-open allowed: the client goes on sending after the gateway's FIN, as an uploader does
      const socket = net.connect({ port: gw.port, host: '127.0.0.1', allowHalfOpen: true });
      let answer = '';
      let sent = false;
      socket.on('connect', () => socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`));
      socket.on('data', (c: Buffer) => {
        answer += c.toString('latin1');
        if (!sent && answer.includes('\r\n\r\n')) {
          sent = true;
          // the rest of the body, after the answer: in pieces, as an uploading client sends it
          void (async () => {
            for (let n = 0; n < more && !socket.destroyed; n += 256 * 1024) {
              socket.write(Buffer.alloc(256 * 1024, 112));
              await new Promise((r) => setTimeout(r, 5));
            }
            if (!socket.destroyed) socket.end();
          })();
        }
      });
      socket.on('error', () => undefined);
      socket.on('close', (hadError) => resolve({ answer: answer.split('\r\n')[0]!, reset: hadError }));
    });
  }

  test('a declared 11 MB body: the 413 at once, then what the client still sends is read and dropped until it is done; no reset', async () => {
    const r = await answerThenKeepSending('/prod/open', `Content-Type: application/json\r\nContent-Length: ${11 * 1024 * 1024}\r\n`, 4 * 1024 * 1024);
    expect(r).toEqual({ answer: 'HTTP/1.1 413 Payload Too Large', reset: false });
  });

  test('a missing key: the 403 at once, and the same lingering close', async () => {
    const r = await answerThenKeepSending('/prod/keyed', `Content-Type: application/json\r\nContent-Length: ${7 * 1024 * 1024}\r\n`, 4 * 1024 * 1024);
    expect(r).toEqual({ answer: 'HTTP/1.1 403 Forbidden', reset: false });
  });
});
