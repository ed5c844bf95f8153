/**
 * EventBridge's errors, named as on the wire (`__type`). Each carries its HTTP status; the
 * protocol layer answers `{"__type": name, "message": ...}` with the `x-amzn-ErrorType` header.
 */
export class EventBridgeError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export const resourceNotFound = (message: string) => new EventBridgeError('ResourceNotFoundException', message);
export const resourceAlreadyExists = (message: string) => new EventBridgeError('ResourceAlreadyExistsException', message);
export const validationError = (message: string) => new EventBridgeError('ValidationException', message);
export const invalidEventPattern = (message: string) => new EventBridgeError('InvalidEventPatternException', message);
export const limitExceeded = (message = 'The requested resource exceeds the maximum number allowed.') =>
  new EventBridgeError('LimitExceededException', message);
export const illegalStatus = (message: string) => new EventBridgeError('IllegalStatusException', message);
export const internalError = (message = 'An internal error occurred.') => new EventBridgeError('InternalException', message, 500);

export const busNotFound = (name: string) => resourceNotFound(`Event bus ${name} does not exist.`);
export const ruleNotFound = (rule: string, bus: string) => resourceNotFound(`Rule ${rule} does not exist on EventBus ${bus}.`);
export const archiveNotFound = (name: string) => resourceNotFound(`Archive ${name} does not exist.`);
export const replayNotFound = (name: string) => resourceNotFound(`Replay ${name} does not exist.`);
