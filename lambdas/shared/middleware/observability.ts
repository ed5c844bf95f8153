/**
 * Powertools around every function: the logger takes the Lambda context (and the correlation id
 * where the event carries one) and forgets the previous invocation's keys, the tracer opens a
 * segment per invocation, the metrics are flushed at its end. One list that every handler
 * builder uses, so each kind of function is observed the same way.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type middy from '@middy/core';
import { logger, metrics, tracer } from '../powertools';
import { optionalEnv } from '../config';
import { POWERTOOLS_ENV } from '../env';

export interface ObservabilityOptions {
  /** JMESPath of a correlation id in the event, for events that carry one (task input) */
  correlationIdPath?: string;
  /** count cold starts as a metric (default true) */
  captureColdStartMetric?: boolean;
}

export function observability(options: ObservabilityOptions = {}): middy.MiddlewareObj[] {
  return [
    injectLambdaContext(logger, { resetKeys: true, correlationIdPath: options.correlationIdPath }),
    captureLambdaHandler(tracer, { captureResponse: false }),
    annotateService(),
    logMetrics(metrics, { captureColdStartMetric: options.captureColdStartMetric ?? true }),
  ];
}

/**
 * The `service` annotation on the handler's subsegment (opened by captureLambdaHandler just
 * before), so traces are found by service: `annotation.service = "orders"`.
 */
function annotateService(): middy.MiddlewareObj {
  return {
    before: () => {
      if (tracer.isTracingEnabled()) tracer.putAnnotation('service', serviceName());
    },
  };
}

const serviceName = (): string => optionalEnv(POWERTOOLS_ENV.serviceName, 'service_undefined');
