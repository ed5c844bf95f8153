/** GET /api/orders/health (no API key): the service and its tables answer. */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { json } from '../../shared/http';
import { logger } from '../../shared/powertools';
import { eventStore } from '../dependencies';

const store = eventStore();

export async function healthRoute(): Promise<APIGatewayProxyResult> {
  const started = Date.now();
  try {
    await store.ping();
    return json(200, { service: 'orders', status: 'ok', time: new Date().toISOString(), checks: { dynamodb: { status: 'ok', latency_ms: Date.now() - started } } });
  } catch (err) {
    logger.warn('health check failed', { error: err as Error });
    return json(503, { service: 'orders', status: 'unavailable', time: new Date().toISOString(), checks: { dynamodb: { status: 'unavailable' } } });
  }
}
