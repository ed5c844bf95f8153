/**
 * `Idempotency-Key` on the API's POST routes, with Powertools Idempotency and its DynamoDB
 * persistence (the idempotency table): a retry with the same key answers the first response
 * (marked `idempotent-replayed: true`) and runs nothing; the same key with another request is
 * 422; the same key while the first request runs is 409. Failed requests are not kept, so a
 * retry after a 503 runs again. Keys are scoped to the route and the caller's API key.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { AppError, BadRequestError, ConflictError, ServiceUnavailableError } from '../../../shared/errors';
import { headerValue } from '../../../shared/headers';
import type { HttpEvent, HttpRoute } from '../../../shared/http';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** A day: long enough for any client's retries (Stripe keeps keys 24 h as well). */
const EXPIRES_AFTER_SECONDS = 24 * 3600;
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

export class IdempotencyKeyReusedError extends AppError {
  constructor() {
    super(422, 'idempotency_key_reused', `this ${IDEMPOTENCY_HEADER} was already used with another request`, {
      details: [{ field: IDEMPOTENCY_HEADER, message: 'send a new key for a different request' }],
    });
  }
}

export function idempotentRoutes(o: { tableName: string; client: DynamoDBClient }): (route: HttpRoute) => HttpRoute {
  const persistenceStore = new DynamoDBPersistenceLayer({ tableName: o.tableName, awsSdkV3Client: o.client });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'key',
    payloadValidationJmesPath: 'request',
    expiresAfterSeconds: EXPIRES_AFTER_SECONDS,
    responseHook: (response) => {
      const r = response as unknown as APIGatewayProxyResult;
      return { ...r, headers: { ...r.headers, 'idempotent-replayed': 'true' } } as never;
    },
  });

  return (route) => {
    const run = makeIdempotent((_scope: { key: string; request: unknown }, event: HttpEvent, context) => route(event, context), { persistenceStore, config });
    return async (event, context) => {
      const key = headerValue(event.headers, IDEMPOTENCY_HEADER);
      if (key === undefined) return route(event, context);
      if (!KEY_FORMAT.test(key)) {
        throw new BadRequestError(`${IDEMPOTENCY_HEADER} must be 1 to 255 visible ASCII characters`, [{ field: IDEMPOTENCY_HEADER, message: 'invalid format' }], 'invalid_idempotency_key');
      }
      config.registerLambdaContext(context);
      const caller = event.requestContext?.identity?.apiKeyId ?? '-';
      try {
        return await run({ key: `${event.httpMethod} ${event.resource} ${caller} ${key}`, request: { path: event.pathParameters ?? null, body: event.parsedBody ?? null } }, event, context);
      } catch (err) {
        switch ((err as Error).name) {
          case 'IdempotencyValidationError':
            throw new IdempotencyKeyReusedError();
          case 'IdempotencyAlreadyInProgressError':
            throw new ConflictError(`a request with this ${IDEMPOTENCY_HEADER} is in progress; retry later`, [{ field: IDEMPOTENCY_HEADER, message: 'in progress' }], 'request_in_progress');
          case 'IdempotencyPersistenceLayerError':
            throw new ServiceUnavailableError('the idempotency store is unavailable; retry later', { cause: err });
          default:
            throw err;
        }
      }
    };
  };
}
