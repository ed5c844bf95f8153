/**
 * Errors of the Step Functions API, answered as AWS JSON 1.0 does: HTTP 400 with
 * `{"__type": "<namespace>#<Name>", "message": "..."}` and the `x-amzn-ErrorType` header. The messages are
 * AWS's wording (see the recorded API snapshots).
 */
export class SfnApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export const invalidArn = (arn: string, why = `Invalid ARN prefix: ${arn}`) => new SfnApiError('InvalidArn', `Invalid Arn: '${why}'`);
export const invalidName = (name: string) => new SfnApiError('InvalidName', `Invalid Name: '${name}'`);
export const invalidDefinition = (problem: string) => new SfnApiError('InvalidDefinition', `Invalid State Machine Definition: '${problem}'`);
export const stateMachineDoesNotExist = (arn: string) => new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
export const stateMachineAlreadyExists = (arn: string) => new SfnApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
export const executionDoesNotExist = (arn: string) => new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
export const executionAlreadyExists = (arn: string) => new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
export const invalidExecutionInput = (why: string) => new SfnApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${why}'`);
export const invalidOutput = (why: string) => new SfnApiError('InvalidOutput', `Invalid State Machine Execution Output: '${why}'`);
export const typeNotSupported = () => new SfnApiError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
export const invalidToken = () => new SfnApiError('InvalidToken', "Invalid Token: 'Invalid token'");
export const taskTimedOut = () => new SfnApiError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
export const taskDoesNotExist = () => new SfnApiError('TaskDoesNotExist', "Task Does Not Exist: 'Provided task does not exist'");
export const validation = (message: string) => new SfnApiError('ValidationException', message);
export const missingParameter = (message: string) => new SfnApiError('MissingRequiredParameter', message);
export const notRedrivable = (message: string) => new SfnApiError('ExecutionNotRedrivable', message);
export const resourceNotFound = (arn: string) => new SfnApiError('ResourceNotFound', `Resource not found: '${arn}'`);
export const tooManyTags = (arn: string) => new SfnApiError('TooManyTags', `Too many tags for resource: '${arn}'`);
