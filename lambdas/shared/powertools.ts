/**
 * The one place where a function's Logger, Tracer and Metrics are created. Service name and
 * metrics namespace come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE, set per
 * function by the CDK construct, so handlers just import these instances.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

export const logger = new Logger();
export const tracer = new Tracer();
export const metrics = new Metrics();

export { MetricUnit } from '@aws-lambda-powertools/metrics';
