/**
 * The one place where a function's Logger, Tracer and Metrics are created. Service name and
 * metrics namespace come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE, set per
 * function by the CDK construct, so handlers just import these instances.
 *
 * The logger can find a correlation id in an event by a JMESPath expression (task input carries
 * `correlation_id`); without a search function Powertools ignores `correlationIdPath`.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { search } from '@aws-lambda-powertools/logger/correlationId';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

export const logger = new Logger({ correlationIdSearchFn: search });
export const tracer = new Tracer();
export const metrics = new Metrics();

export { MetricUnit } from '@aws-lambda-powertools/metrics';
