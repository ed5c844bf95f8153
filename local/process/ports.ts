/**
 * Free TCP port lookup on 127.0.0.1, shared by the local service launchers.
 *
 * Node's net module is enough here (no library needed): binding a throw-away server tells whether
 * a port is free, and binding port 0 lets the kernel hand out an ephemeral one.
 */
import net from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** Tries to listen on 127.0.0.1:port; resolves with the bound port or undefined when it is taken. */
function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve(undefined);
      else reject(err);
    });
    server.listen({ host: LOOPBACK, port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * Returns `preferred` when it can be bound on 127.0.0.1, else an ephemeral port that was free a
 * moment ago. With no preferred port (or 0) it always returns an ephemeral port.
 * The answer can go stale before the caller binds it: callers retry on EADDRINUSE.
 */
export async function findFreePort(preferred?: number): Promise<number> {
  if (preferred !== undefined && (!Number.isInteger(preferred) || preferred < 0 || preferred > 65535)) {
    throw new RangeError(`not a TCP port: ${preferred}`);
  }
  if (preferred) {
    const port = await tryListen(preferred);
    if (port !== undefined) return port;
  }
  const port = await tryListen(0);
  if (port === undefined) throw new Error('could not obtain an ephemeral port on 127.0.0.1');
  return port;
}
