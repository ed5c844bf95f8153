/**
 * SES v2 errors as the REST-JSON protocol sends them: the HTTP status of the model's error,
 * the name in the `x-amzn-ErrorType` header (which the SDK reads first) and
 * `{"message": "..."}` as the body. Names and statuses come from @aws-sdk/client-sesv2's model.
 */
export class SesError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'SesError';
  }
}

export const badRequest = (message: string) => new SesError('BadRequestException', message, 400);
export const notFound = (message: string) => new SesError('NotFoundException', message, 404);
export const alreadyExists = (message: string) => new SesError('AlreadyExistsException', message, 400);
export const messageRejected = (message: string) => new SesError('MessageRejected', message, 400);
export const limitExceeded = (message: string) => new SesError('LimitExceededException', message, 400);
