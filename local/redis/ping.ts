/** Waits until Redis answers PING, using ioredis (the client the platform itself uses). */
import Redis from 'ioredis';

/** Resolves once PING returns PONG; rejects with the last error after `timeoutMs` or when `abort` resolves. */
export async function waitForPing(host: string, port: number, timeoutMs: number, abort: Promise<string>): Promise<void> {
  const client = new Redis({
    host,
    port,
    lazyConnect: true,
    connectTimeout: 1000,
    disconnectTimeout: 200,
    maxRetriesPerRequest: null,
    retryStrategy: () => 25, // reconnect every 25 ms until the server listens
  });
  let lastError = 'no answer';
  client.on('error', (err: Error) => (lastError = err.message));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no PONG within ${timeoutMs} ms (${lastError})`), timeoutMs);
  });
  try {
    client.connect().catch(() => undefined); // failures surface through 'error' and retries
    const pong = client.ping().catch((err: Error) => `PING failed: ${err.message}`);
    const outcome = await Promise.race([pong, timeout, abort]);
    if (outcome !== 'PONG') throw new Error(outcome);
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
