/**
 * Correlation ids: every API request gets one id that its log lines carry (`correlation_id`) and
 * its response echoes (`x-correlation-id`). The client's own id is kept when it sends one; else
 * API Gateway's request id, else the Lambda request id.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { headerValue } from '../headers';
import { logger } from '../powertools';

export interface CorrelationIdsOptions {
  /** the request header read and the response header written (default `x-correlation-id`) */
  header?: string;
  /** the key log lines carry the id under (default `correlation_id`) */
  logKey?: string;
}

const defaults: Required<CorrelationIdsOptions> = { header: 'x-correlation-id', logKey: 'correlation_id' };

/** Where the id of the current request is kept between the phases (middy's per-request `internal`). */
const INTERNAL_KEY = 'correlation';

interface Correlation {
  header: string;
  id: string;
}

type HttpRequest = middy.Request<APIGatewayProxyEvent, APIGatewayProxyResult>;

/**
 * Writes the request's correlation header on its response. The `after` phase does it for
 * answers of the handler; the error handler calls it for the answers it makes, since `after`
 * phases do not run for a failed request.
 */
export function echoCorrelationId(request: middy.Request<unknown, APIGatewayProxyResult>): void {
  const correlation = (request.internal as Record<string, unknown>)[INTERNAL_KEY] as Correlation | undefined;
  if (request.response && correlation) {
    request.response.headers = { ...(request.response.headers ?? {}), [correlation.header]: correlation.id };
  }
}

export function correlationIds(options: CorrelationIdsOptions = {}): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const header = options.header ?? defaults.header;
  const logKey = options.logKey ?? defaults.logKey;

  const correlationIdsBefore = (request: HttpRequest): void => {
    const id = headerValue(request.event.headers, header) ?? request.event.requestContext?.requestId ?? request.context.awsRequestId;
    logger.appendKeys({ [logKey]: id });
    (request.internal as Record<string, unknown>)[INTERNAL_KEY] = { header, id } satisfies Correlation;
  };

  const correlationIdsAfter = (request: HttpRequest): void => echoCorrelationId(request);

  return { name: 'correlationIds', before: correlationIdsBefore, after: correlationIdsAfter };
}
