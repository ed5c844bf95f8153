/**
 * Configuration read once at module load. A missing required variable fails the cold start
 * with a clear message instead of failing some later request.
 */
import { getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';

export function requiredEnv(key: string): string {
  return getStringFromEnv({ key, errorMessage: `environment variable ${key} is required but not set` });
}

export function optionalEnv(key: string, defaultValue: string): string {
  return getStringFromEnv({ key, defaultValue });
}

export function numberEnv(key: string, defaultValue: number): number {
  const raw = process.env[key];
  if (raw === undefined || raw === '') return defaultValue;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`environment variable ${key} must be a number, got ${JSON.stringify(raw)}`);
  return n;
}
