/** Which Host and Origin values the shared guard of the local HTTP listeners lets through. */
import type http from 'node:http';
import { isLoopbackHost, isLoopbackOrigin, refusalReason } from '../../../../local/http/loopback-guard';

test('loopback hosts are 127.0.0.1, localhost and [::1], with any port, in any case', () => {
  for (const h of ['127.0.0.1', '127.0.0.1:4566', 'localhost', 'LOCALHOST:8000', '[::1]', '[::1]:9200', ' localhost:1 ']) expect([h, isLoopbackHost(h)]).toEqual([h, true]);
  const foreign = [
    undefined,
    '',
    'evil.example',
    'evil.example:4566',
    '127.0.0.1.evil.example',
    'localhost.evil.example:8000',
    'localhost.',
    '127.0.0.2',
    '0.0.0.0:8000',
    '[::ffff:127.0.0.1]',
    '[::1',
    'localhost:99999',
    'localhost:80:80',
    'user@localhost',
    '192.168.1.10:8000',
  ];
  for (const h of foreign) expect([h, isLoopbackHost(h)]).toEqual([h, false]);
});

test('loopback origins are http(s) on a loopback host; "null" and other schemes are not', () => {
  for (const o of ['http://localhost:3000', 'https://127.0.0.1', 'http://[::1]:8080']) expect([o, isLoopbackOrigin(o)]).toEqual([o, true]);
  for (const o of ['null', 'http://evil.example', 'file://', 'chrome-extension://abc', 'http://localhost.evil.example', 'not a url']) {
    expect([o, isLoopbackOrigin(o)]).toEqual([o, false]);
  }
});

const req = (method: string, headers: Record<string, string>) => ({ method, headers }) as unknown as http.IncomingMessage;

test('refuses foreign hosts, and foreign origins on anything but GET and HEAD, unless allowed', () => {
  expect(refusalReason(req('GET', { host: 'localhost:4566' }))).toBeNull();
  expect(refusalReason(req('GET', {}))).toBe('the request has no Host header');
  expect(refusalReason(req('GET', { host: 'rebound.example:4566' }))).toBe('Host "rebound.example:4566" is not a loopback name');
  expect(refusalReason(req('GET', { host: 'localhost', origin: 'http://evil.example' }))).toBeNull();
  expect(refusalReason(req('HEAD', { host: 'localhost', origin: 'http://evil.example' }))).toBeNull();
  expect(refusalReason(req('POST', { host: 'localhost', origin: 'http://evil.example' }))).toBe('cross-origin POST from "http://evil.example" is not allowed');
  expect(refusalReason(req('DELETE', { host: 'localhost', origin: 'null' }))).toBe('cross-origin DELETE from "null" is not allowed');
  expect(refusalReason(req('POST', { host: 'localhost' }))).toBeNull(); // SDKs and curl send no Origin
  expect(refusalReason(req('POST', { host: '127.0.0.1:8000', origin: 'http://localhost:5173' }))).toBeNull(); // the local console
  expect(refusalReason(req('POST', { host: 'localhost', origin: 'http://console.test:3000' }), { allowedOrigins: ['http://console.test:3000'] })).toBeNull();
  // Fetch Metadata: an <img> or link on another site (no Origin) is refused, whatever the method.
  expect(refusalReason(req('GET', { host: 'localhost', 'sec-fetch-site': 'cross-site' }))).toBe('cross-site GET without an Origin is not allowed');
  expect(refusalReason(req('GET', { host: 'localhost', 'sec-fetch-site': 'cross-site', origin: 'http://evil.example' }))).toBe('cross-site GET from "http://evil.example" is not allowed');
  expect(refusalReason(req('GET', { host: 'localhost', 'sec-fetch-site': 'cross-site', origin: 'http://localhost:5173' }))).toBeNull();
  expect(refusalReason(req('GET', { host: 'localhost', 'sec-fetch-site': 'none' }))).toBeNull(); // typed in the address bar
  expect(refusalReason(req('GET', { host: 'localhost', 'sec-fetch-site': 'same-site' }))).toBeNull();
  const before = process.env.LOCAL_CLOUD_ALLOWED_ORIGINS;
  process.env.LOCAL_CLOUD_ALLOWED_ORIGINS = 'http://a.test, http://console.test:3000/';
  try {
    expect(refusalReason(req('PUT', { host: 'localhost', origin: 'http://console.test:3000' }))).toBeNull();
    expect(refusalReason(req('PUT', { host: 'localhost', origin: 'http://console.test:3001' }))).toBe('cross-origin PUT from "http://console.test:3001" is not allowed');
  } finally {
    if (before === undefined) delete process.env.LOCAL_CLOUD_ALLOWED_ORIGINS;
    else process.env.LOCAL_CLOUD_ALLOWED_ORIGINS = before;
  }
});
