// Gateway responses: the errors API Gateway itself answers with (status, {"message": ...} body, x-amzn-ErrorType).

export class GatewayError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    /** x-amzn-ErrorType header, when API Gateway sends one for this response type. */
    readonly errorType: string | undefined,
    /** The gateway response type (MISSING_AUTHENTICATION_TOKEN, THROTTLED, ...). */
    readonly responseType: string,
  ) {
    super(message);
    this.name = responseType;
  }

  /** The serialized body, built once per error class instance. */
  get body(): string {
    return JSON.stringify({ message: this.message });
  }
}

export class MissingAuthenticationToken extends GatewayError {
  constructor() {
    super(403, 'Missing Authentication Token', 'IncompleteSignatureException', 'MISSING_AUTHENTICATION_TOKEN');
  }
}

export class Forbidden extends GatewayError {
  constructor() {
    super(403, 'Forbidden', 'ForbiddenException', 'INVALID_API_KEY');
  }
}

export class TooManyRequests extends GatewayError {
  constructor() {
    super(429, 'Too Many Requests', 'TooManyRequestsException', 'THROTTLED');
  }
}

export class LimitExceeded extends GatewayError {
  constructor() {
    super(429, 'Limit Exceeded', 'LimitExceededException', 'QUOTA_EXCEEDED');
  }
}

export class MissingParameters extends GatewayError {
  constructor(names: string[]) {
    super(400, `Missing required request parameters: [${names.join(', ')}]`, 'BadRequestException', 'BAD_REQUEST_PARAMETERS');
  }
}

export class InvalidBody extends GatewayError {
  constructor() {
    super(400, 'Invalid request body', 'BadRequestException', 'BAD_REQUEST_BODY');
  }
}

/**
 * A body over the 10 MB payload limit. AWS refuses it in front of API Gateway proper (the
 * CloudFront layer), before any route or key is looked at, with a plain-text body and no
 * x-amzn-RequestId; observed answer:
 *   HTTP/2 413 / content-type: text; charset=utf-8 / "HTTP content length exceeded 10485760 bytes."
 */
export class RequestTooLarge extends GatewayError {
  constructor() {
    super(413, 'HTTP content length exceeded 10485760 bytes.', undefined, 'REQUEST_TOO_LARGE');
  }

  override get body(): string {
    return this.message;
  }

  readonly contentType = 'text; charset=utf-8';
}

/**
 * A request whose Lambda proxy event is over Lambda's 6 MB invoke limit: Lambda refuses the
 * invocation (RequestEntityTooLargeException) and API Gateway answers 413 BadRequestException
 * with this exact body (note the space: it is not API Gateway's usual `{"message":...}` template).
 */
export class LambdaRequestTooLong extends GatewayError {
  constructor() {
    super(413, 'Request Too Long', 'BadRequestException', 'REQUEST_TOO_LARGE');
  }

  override get body(): string {
    return '{"message": "Request Too Long"}';
  }
}

/** Function error, malformed proxy response (502), or Lambda refusing the invocation (500). */
export class InternalServerError extends GatewayError {
  constructor(statusCode: 500 | 502) {
    super(statusCode, 'Internal server error', 'InternalServerErrorException', statusCode === 502 ? 'DEFAULT_5XX' : 'API_CONFIGURATION_ERROR');
  }
}

export class IntegrationTimeout extends GatewayError {
  constructor() {
    super(504, 'Endpoint request timed out', undefined, 'INTEGRATION_TIMEOUT');
  }
}
