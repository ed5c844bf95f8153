// Error classes of the local Lambda runtime and its REST API.

/** Base class: an error the Lambda API reports with an HTTP status and an x-amzn-ErrorType. */
export class LambdaServiceError extends Error {
  constructor(
    readonly errorType: string,
    readonly statusCode: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = errorType;
  }
}

export class ResourceNotFoundError extends LambdaServiceError {
  constructor(arnOrName: string) {
    super('ResourceNotFoundException', 404, `Function not found: ${arnOrName}`);
  }
}

export class InvalidRequestContentError extends LambdaServiceError {
  constructor(message: string) {
    super('InvalidRequestContentException', 400, message);
  }
}

export class InvalidParameterValueError extends LambdaServiceError {
  constructor(message: string) {
    super('InvalidParameterValueException', 400, message);
  }
}

export class RequestTooLargeError extends LambdaServiceError {
  constructor(size: number, limit: number) {
    super('RequestTooLargeException', 413, `Request must be smaller than ${limit} bytes for the InvokeFunction operation`, {
      size,
    });
  }
}

export class RuntimeClosedError extends Error {
  constructor() {
    super('Lambda runtime is closed');
    this.name = 'RuntimeClosedError';
  }
}
