/**
 * Fault switches for chaos runs (`npm run chaos`), on the edge endpoint under `/_local/chaos/`:
 * stop and start the Kafka broker, restart Redis. Not an AWS API: AWS has no button that stops
 * MSK, so these are the local cloud's own, and exist only when the cloud was started with
 * `--fault-injection`. Loopback callers only, and never from a browser page (a request that
 * carries an Origin header is refused), so a web page cannot stop a user's broker.
 *
 *   GET  /_local/chaos                  {"kafka": "running"|"stopped", "redis": "running"|"restarting"}
 *   POST /_local/chaos/kafka/stop       204 (the broker closes its port and connections)
 *   POST /_local/chaos/kafka/start      204 (same port, same data folder)
 *   POST /_local/chaos/redis/restart    204 once Redis answers again (same port, same data folder)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface ChaosControlOptions {
  kafka: { stop(): Promise<void>; start(): Promise<void> };
  redis: { restart(): Promise<void> };
  log?: (m: string) => void;
}

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i;

export function createChaosControl(opts: ChaosControlOptions) {
  const log = opts.log ?? (() => undefined);
  const state = { kafka: 'running' as 'running' | 'stopped', redis: 'running' as 'running' | 'restarting' };
  let busy: Promise<void> = Promise.resolve();
  /** one switch at a time: a start that overtook its stop would leave two brokers on one port */
  const serial = (fn: () => Promise<void>) => (busy = busy.then(fn, fn));

  const actions: Record<string, () => Promise<void>> = {
    'kafka/stop': () =>
      serial(async () => {
        if (state.kafka === 'stopped') return;
        log('chaos: stopping the Kafka broker');
        await opts.kafka.stop();
        state.kafka = 'stopped';
      }),
    'kafka/start': () =>
      serial(async () => {
        if (state.kafka === 'running') return;
        log('chaos: starting the Kafka broker');
        await opts.kafka.start();
        state.kafka = 'running';
      }),
    'redis/restart': () =>
      serial(async () => {
        log('chaos: restarting Redis');
        state.redis = 'restarting';
        try {
          await opts.redis.restart();
        } finally {
          state.redis = 'running';
        }
      }),
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const pathname = (req.url ?? '/').split('?')[0]!;
    if (pathname !== '/_local/chaos' && !pathname.startsWith('/_local/chaos/')) return false;
    const send = (status: number, body?: unknown) => {
      res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    const local = LOOPBACK_ADDRESSES.has(req.socket.remoteAddress ?? '') && LOOPBACK_HOST.test(req.headers.host ?? '');
    if (!local || req.headers.origin !== undefined) {
      send(403, { error: { code: 'forbidden', message: 'chaos switches answer loopback callers only, never a browser page' } });
      return true;
    }
    if (pathname === '/_local/chaos' && req.method === 'GET') {
      send(200, state);
      return true;
    }
    const action = actions[pathname.slice('/_local/chaos/'.length)];
    if (!action || req.method !== 'POST') {
      send(404, { error: { code: 'not_found', message: `no chaos switch ${req.method} ${pathname}` } });
      return true;
    }
    try {
      await action();
      send(204);
    } catch (err) {
      log(`chaos: ${pathname} failed: ${(err as Error).message}`);
      send(500, { error: { code: 'chaos_failed', message: (err as Error).message } });
    }
    return true;
  };

  return { route, state: () => ({ ...state }) };
}
