/** GET /api/inventory/health: the service and its table answer. No API key needed. */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { json } from '../../shared/http';
import { logger } from '../../shared/powertools';
import { stockRepository } from '../dependencies';

export async function healthRoute(): Promise<APIGatewayProxyResult> {
  const started = Date.now();
  try {
    await stockRepository.ping();
    return json(200, { service: 'inventory', status: 'ok', time: new Date().toISOString(), checks: { dynamodb: { status: 'ok', latency_ms: Date.now() - started } } });
  } catch (err) {
    logger.warn('health check failed', { error: err as Error });
    return json(503, { service: 'inventory', status: 'unavailable', time: new Date().toISOString(), checks: { dynamodb: { status: 'unavailable' } } });
  }
}

