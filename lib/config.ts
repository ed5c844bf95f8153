/**
 * Platform-wide settings of the infrastructure: the API's stage, the per-service request rates
 * the original platform enforced (requests per minute), and the usage plans built from them.
 */
export const STAGE_NAME = 'v1';
/**
 * The order saga's state machine. Its name is fixed so that every function that starts or reads
 * its executions can name its ARN without a reference to the construct (which needs theirs).
 */
export const SAGA_STATE_MACHINE_NAME = 'ecommerce-order-saga';
export const METRICS_NAMESPACE = 'Ecommerce';

export type ServiceName = 'orders' | 'inventory' | 'catalog' | 'payments' | 'notifications';
/** Functions of the platform itself (outbox publisher, ...), not behind the API. */
export type FunctionOwner = ServiceName | 'platform';

/** The original platform's per-service limits (50 to 200 requests a minute). */
export const SERVICE_RATE_PER_MINUTE: Record<ServiceName, number> = {
  orders: 50,
  payments: 50,
  inventory: 100,
  notifications: 100,
  catalog: 200,
};

export interface PlanSettings {
  /** multiplies each service's rate and burst */
  factor: number;
  /** requests a day per key */
  dailyQuota: number;
  /** plan-wide ceiling (requests a second) over all methods */
  rateLimit: number;
  burstLimit: number;
  description: string;
  /** true: per-method throttles with the service rates; false: only the plan-wide ceiling */
  perMethodThrottles: boolean;
}

export const USAGE_PLANS: Record<'standard' | 'partner' | 'internal', PlanSettings> = {
  standard: {
    factor: 1,
    dailyQuota: 10_000,
    rateLimit: 10,
    burstLimit: 40,
    perMethodThrottles: true,
    description: "The original platform's per-service rates (50 to 200 requests a minute) with bursts and a daily quota",
  },
  partner: {
    factor: 5,
    dailyQuota: 200_000,
    rateLimit: 50,
    burstLimit: 200,
    perMethodThrottles: true,
    description: 'Partners: five times the standard rates and twenty times the quota',
  },
  internal: {
    factor: 1,
    dailyQuota: 50_000_000,
    rateLimit: 5_000,
    burstLimit: 10_000,
    perMethodThrottles: false,
    description: 'Internal callers and load tests: a high plan-wide ceiling, no per-method throttles',
  },
};

/** Rate (requests a second) and burst of one method of a service under a plan. */
export function methodThrottle(service: ServiceName, plan: PlanSettings): { rateLimit: number; burstLimit: number } {
  const perMinute = SERVICE_RATE_PER_MINUTE[service] * plan.factor;
  return { rateLimit: Math.round((perMinute / 60) * 1000) / 1000, burstLimit: Math.max(5, Math.round(perMinute / 5)) };
}
