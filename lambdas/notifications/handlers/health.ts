/** GET /api/notifications/health (no API key): the preferences and history tables answer. */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { json } from '../../shared/http';
import { logger } from '../../shared/powertools';
import { apiDependencies } from '../dependencies';

const deps = apiDependencies();
const CHECK_TIMEOUT_MS = 1_000;

async function check(name: string, run: () => Promise<unknown>): Promise<{ status: 'ok' | 'unavailable'; latency_ms?: number }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([run(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${name} did not answer in ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)))]);
    return { status: 'ok', latency_ms: Date.now() - started };
  } catch (err) {
    logger.warn('health check failed', { dependency: name, error: err as Error });
    return { status: 'unavailable' };
  } finally {
    clearTimeout(timer);
  }
}

export async function healthRoute(): Promise<APIGatewayProxyResult> {
  const [dynamodb] = await Promise.all([check('dynamodb', () => Promise.all([deps.preferences.ping(), deps.store.get('__health__')]))]);
  const ok = dynamodb.status === 'ok';
  return json(ok ? 200 : 503, { service: 'notifications', status: ok ? 'ok' : 'unavailable', time: new Date().toISOString(), checks: { dynamodb } });
}
