/** GET /api/payments/health: the payments table and the circuit breaker's store answer. No API key needed. */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { json } from '../../shared/http';
import { logger } from '../../shared/powertools';
import { circuitBreaker, paymentRepository } from '../dependencies';

const payments = paymentRepository();
const breaker = circuitBreaker();

async function timed(check: () => Promise<unknown>) {
  const started = Date.now();
  try {
    const value = await check();
    return { status: 'ok', latency_ms: Date.now() - started, value };
  } catch (err) {
    logger.warn('health check failed', { error: err as Error });
    return { status: 'unavailable' as const, latency_ms: Date.now() - started, value: undefined };
  }
}

export async function healthRoute(): Promise<APIGatewayProxyResult> {
  const [dynamodb, redis] = await Promise.all([timed(() => payments.ping()), timed(() => breaker.state())]);
  // without Redis the breaker fails open and payments go on: degraded, not down
  const status = dynamodb.status !== 'ok' ? 'unavailable' : redis.status !== 'ok' ? 'degraded' : 'ok';
  return json(status === 'unavailable' ? 503 : 200, {
    service: 'payments',
    status,
    time: new Date().toISOString(),
    checks: {
      dynamodb: { status: dynamodb.status, latency_ms: dynamodb.latency_ms },
      redis: { status: redis.status, latency_ms: redis.latency_ms },
      circuit_breaker: { state: redis.value ?? 'unknown' },
    },
  });
}
