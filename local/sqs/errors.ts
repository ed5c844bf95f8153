/**
 * SQS errors as the service sends them. Each has the short name the JSON protocol puts in
 * `__type` (`com.amazonaws.sqs#<name>`), the code of the query protocol (also sent to JSON
 * clients in the `x-amzn-query-error: <code>;Sender` header, which the SDK's awsQueryCompatible
 * mode reads first), the HTTP status, and AWS's wording.
 *
 * Names and query codes come from the Smithy model in @aws-sdk/client-sqs (`awsQueryError`
 * traits). Errors the model does not list (InvalidParameterValue, MissingParameter, ...) are
 * sent as `<code>Exception` in `__type`, which is what the service sends for them; the SDK
 * names the error after the header's code either way.
 */
export class SqsError extends Error {
  constructor(
    /** the JSON `__type` short name */
    readonly type: string,
    /** the query protocol's error code */
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly fault: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
    this.name = 'SqsError';
  }
}

export const queueDoesNotExist = () =>
  new SqsError('QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.');
export const queueNameExists = (message: string) => new SqsError('QueueNameExists', 'QueueAlreadyExists', message);
export const invalidParameterValue = (message: string) => new SqsError('InvalidParameterValueException', 'InvalidParameterValue', message);
export const missingParameter = (name: string) =>
  new SqsError('MissingRequiredParameterException', 'MissingParameter', `The request must contain the parameter ${name}.`);
export const invalidAttributeName = (message: string) => new SqsError('InvalidAttributeName', 'InvalidAttributeName', message);
export const invalidAttributeValue = (message: string) => new SqsError('InvalidAttributeValue', 'InvalidAttributeValue', message);
export const receiptHandleIsInvalid = (handle: string) =>
  new SqsError('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`, 404);
export const messageNotInflight = () =>
  new SqsError('MessageNotInflight', 'AWS.SimpleQueueService.MessageNotInflight', 'Message does not exist or is not available for visibility timeout change.');
export const invalidMessageContents = (message: string) => new SqsError('InvalidMessageContents', 'InvalidMessageContents', message);
export const emptyBatchRequest = (entry: string) =>
  new SqsError('EmptyBatchRequest', 'AWS.SimpleQueueService.EmptyBatchRequest', `There should be at least one ${entry} in the request.`);
export const tooManyEntries = (n: number) =>
  new SqsError('TooManyEntriesInBatchRequest', 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${n}.`);
export const batchEntryIdsNotDistinct = (id: string) =>
  new SqsError('BatchEntryIdsNotDistinct', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
export const invalidBatchEntryId = () =>
  new SqsError(
    'InvalidBatchEntryId',
    'AWS.SimpleQueueService.InvalidBatchEntryId',
    'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
  );
export const batchRequestTooLong = (size: number, limit: number) =>
  new SqsError('BatchRequestTooLong', 'AWS.SimpleQueueService.BatchRequestTooLong', `Batch requests cannot be longer than ${limit} bytes. You have sent ${size} bytes.`);
export const resourceNotFound = (message: string) => new SqsError('ResourceNotFoundException', 'ResourceNotFoundException', message, 404);
export const unsupportedOperation = (message: string) =>
  new SqsError('UnsupportedOperation', 'AWS.SimpleQueueService.UnsupportedOperation', message);
export const invalidAction = (action: string) =>
  new SqsError('InvalidAction', 'InvalidAction', `The action ${action} is not valid for this endpoint.`);
export const purgeQueueInProgress = (name: string) =>
  new SqsError(
    'PurgeQueueInProgress',
    'AWS.SimpleQueueService.PurgeQueueInProgress',
    `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`,
    403,
  );
export const serializationError = (message: string) => new SqsError('SerializationException', 'SerializationException', message);
