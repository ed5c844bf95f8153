/**
 * SNS errors as the query protocol sends them: an XML ErrorResponse with the error's query code
 * (`NotFound`, `InvalidParameter`, ...) and its HTTP status, both from the Smithy model in
 * @aws-sdk/client-sns (`awsQueryError` traits); the messages are SNS's wording.
 */
export class SnsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly fault: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
    this.name = 'SnsError';
  }
}

export const notFound = (message: string) => new SnsError('NotFound', message, 404);
export const invalidParameter = (message: string) => new SnsError('InvalidParameter', `Invalid parameter: ${message}`, 400);
export const invalidParameterValue = (message: string) => new SnsError('ParameterValueInvalid', message, 400);
export const endpointDisabled = () => new SnsError('EndpointDisabled', 'Endpoint is disabled', 400);
export const platformApplicationDisabled = () => new SnsError('PlatformApplicationDisabled', 'Platform application is disabled', 400);
export const resourceNotFound = (message: string) => new SnsError('ResourceNotFound', message, 404);
export const emptyBatch = () => new SnsError('EmptyBatchRequest', 'The batch request doesn\'t contain any entries', 400);
export const tooManyEntries = () => new SnsError('TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible', 400);
export const batchIdsNotDistinct = () => new SnsError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id', 400);
export const invalidBatchEntryId = () =>
  new SnsError('InvalidBatchEntryId', 'The Id of a batch entry in a batch request doesn\'t abide by the specification', 400);
export const batchTooLong = () => new SnsError('BatchRequestTooLong', 'The length of all the messages put together is more than the limit', 400);
export const throttled = (message: string) => new SnsError('Throttled', message, 429);
export const internalError = (message: string) => new SnsError('InternalError', message, 500, 'Receiver');
