/**
 * The X-Ray daemon's UDP endpoint (127.0.0.1:2000 by default, a free port when that is taken):
 * what the X-Ray SDKs send, one datagram per document, each
 *
 *   {"format":"json","version":1}\n<segment document>
 *
 * Datagrams are taken off the socket by a worker thread and parsed here in batches (the SDK sends in
 * bursts: a handler's subsegments close together), so the daemon costs the functions nothing but a
 * `send` and costs this thread one JSON.parse per document. Documents that
 * do not parse or check are counted and dropped, as the daemon drops them (it has no one to answer).
 */
import { Worker } from 'node:worker_threads';
import { InvalidSegmentError } from './segments';
import type { TraceStore } from './store';

const HEADER = /^\s*\{\s*"format"\s*:\s*"json"\s*,\s*"version"\s*:\s*1\s*\}\s*$/;

export interface XRayDaemon {
  /** "127.0.0.1:<port>", for AWS_XRAY_DAEMON_ADDRESS */
  address: string;
  port: number;
  /** documents taken and refused since start */
  stats: { received: number; rejected: number };
  close(): Promise<void>;
}

/**
 * The socket lives in a worker thread of its own, which only reads datagrams and hands them over
 * in batches (one message per turn of its event loop): libuv reads at most 32 datagrams per poll
 * of a socket, so a socket on a busy main thread (API Gateway, the Lambda runtime) would let the
 * kernel's buffer overflow under a burst; the worker keeps draining it whatever the main thread does.
 */
const RECEIVER = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const dgram = require('node:dgram');
const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
let batch = [];
let queued = false;
const flush = () => { queued = false; const b = batch; batch = []; parentPort.postMessage({ t: 'batch', docs: b }); };
socket.on('message', (m) => { batch.push(m.toString('utf8')); if (!queued) { queued = true; setImmediate(flush); } });
socket.on('error', (e) => parentPort.postMessage({ t: 'error', code: e.code, message: e.message }));
const bind = (port) => socket.bind(port, workerData.host, () => parentPort.postMessage({ t: 'bound', port: socket.address().port }));
socket.once('error', (e) => { if ((e.code === 'EADDRINUSE' || e.code === 'EACCES') && workerData.port !== 0) { parentPort.postMessage({ t: 'taken' }); bind(0); } });
parentPort.on('message', (m) => { if (m === 'close') socket.close(() => { if (batch.length) flush(); parentPort.postMessage({ t: 'closed' }); }); });
bind(workerData.port);
`;

export async function startDaemon(opts: { store: TraceStore; port?: number; host?: string; log?: (m: string) => void }): Promise<XRayDaemon> {
  const host = opts.host ?? '127.0.0.1';
  const stats = { received: 0, rejected: 0 };
  const take = (text: string) => {
    const nl = text.indexOf('\n');
    if (nl < 0 || !HEADER.test(text.slice(0, nl))) {
      stats.rejected++;
      return;
    }
    try {
      opts.store.putText(text.slice(nl + 1));
      stats.received++;
    } catch (err) {
      stats.rejected++;
      if (!(err instanceof InvalidSegmentError)) opts.log?.(`xray daemon: ${(err as Error).message}`);
      else if (stats.rejected <= 10) opts.log?.(`xray daemon: dropped a document: ${err.message}`);
    }
  };
  const worker = new Worker(RECEIVER, { eval: true, workerData: { host, port: opts.port ?? 2000 } });
  let closed: (() => void) | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    worker.on('message', (m: { t: string; docs?: string[]; port?: number; message?: string }) => {
      if (m.t === 'batch') for (const d of m.docs!) take(d);
      else if (m.t === 'bound') resolve(m.port!);
      else if (m.t === 'taken') opts.log?.(`xray daemon: port ${opts.port ?? 2000} is taken, using a free one`);
      else if (m.t === 'error') opts.log?.(`xray daemon: ${m.message}`);
      else if (m.t === 'closed') closed?.();
    });
    worker.once('error', reject);
  });
  worker.unref();
  return {
    address: `${host}:${port}`,
    port,
    stats,
    close: async () => {
      await new Promise<void>((resolve) => {
        closed = resolve;
        worker.postMessage('close');
      });
      await worker.terminate();
    },
  };
}
