/**
 * The X-Ray daemon's UDP endpoint (127.0.0.1:2000 by default, a free port when that is taken):
 * what the X-Ray SDKs send, one datagram per document, each
 *
 *   {"format":"json","version":1}\n<segment document>
 *
 * Datagrams are taken off the socket as they come and parsed together once per turn of the event
 * loop (the SDK sends in bursts: a handler's subsegments close together), so the daemon costs the
 * functions nothing but a `send` and costs this process one JSON.parse per document. Documents that
 * do not parse or check are counted and dropped, as the daemon drops them (it has no one to answer).
 */
import dgram from 'node:dgram';
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

export async function startDaemon(opts: { store: TraceStore; port?: number; host?: string; log?: (m: string) => void }): Promise<XRayDaemon> {
  const host = opts.host ?? '127.0.0.1';
  const stats = { received: 0, rejected: 0 };
  let pending: Buffer[] = [];
  let scheduled = false;
  const drain = () => {
    scheduled = false;
    const batch = pending;
    pending = [];
    for (const msg of batch) {
      const text = msg.toString('utf8');
      const nl = text.indexOf('\n');
      if (nl < 0 || !HEADER.test(text.slice(0, nl))) {
        stats.rejected++;
        continue;
      }
      try {
        opts.store.putText(text.slice(nl + 1));
        stats.received++;
      } catch (err) {
        stats.rejected++;
        if (!(err instanceof InvalidSegmentError)) opts.log?.(`xray daemon: ${(err as Error).message}`);
        else if (stats.rejected <= 10) opts.log?.(`xray daemon: dropped a document: ${err.message}`);
      }
    }
  };
  const bind = (port: number) =>
    new Promise<dgram.Socket>((resolve, reject) => {
      const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        resolve(socket);
      });
    });
  let socket: dgram.Socket;
  try {
    socket = await bind(opts.port ?? 2000);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' && (err as NodeJS.ErrnoException).code !== 'EACCES') throw err;
    opts.log?.(`xray daemon: port ${opts.port ?? 2000} is taken, using a free one`);
    socket = await bind(0);
  }
  socket.on('message', (msg) => {
    pending.push(msg);
    if (!scheduled) {
      scheduled = true;
      setImmediate(drain);
    }
  });
  socket.on('error', (err) => opts.log?.(`xray daemon: ${err.message}`));
  socket.unref();
  const port = socket.address().port;
  return {
    address: `${host}:${port}`,
    port,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        drain();
        socket.close(() => resolve());
      }),
  };
}
