/**
 * Secrets Manager's errors as the AWS JSON 1.1 protocol carries them: HTTP 400 (500 for the
 * service's own failures) with `{"__type": "<Name>", "Message": "..."}` and the name in the
 * `x-amzn-ErrorType` header. Secrets Manager's error shapes name their text `Message` (capital M),
 * as the service sends it; the SDK reads either spelling.
 * The wording follows what the service answers (AWS API reference, SDK issue threads).
 */
export class SecretsManagerError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export const notFound = (message = "Secrets Manager can't find the specified secret.") => new SecretsManagerError('ResourceNotFoundException', message);
export const invalidRequest = (message: string) => new SecretsManagerError('InvalidRequestException', message);
export const invalidParameter = (message: string) => new SecretsManagerError('InvalidParameterException', message);
export const resourceExists = (message: string) => new SecretsManagerError('ResourceExistsException', message);
export const invalidNextToken = () => new SecretsManagerError('InvalidNextTokenException', 'The NextToken value is invalid.');
export const internalError = () => new SecretsManagerError('InternalServiceError', 'An error occurred on the server side.', 500);

/** The Coral validation error of a member that breaks its model constraint (the wording of AWS's JSON services). */
export function validation(member: string, value: unknown, constraint: string): SecretsManagerError {
  const shown = value === undefined || value === null ? 'null' : `'${typeof value === 'string' ? value : JSON.stringify(value)}'`;
  return new SecretsManagerError('ValidationException', `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`);
}

export const markedForDeletion = () => invalidRequest("You can't perform this operation on the secret because it was marked for deletion.");
