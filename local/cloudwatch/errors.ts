/**
 * CloudWatch's errors. The service is "AWS query compatible": besides `__type` in the body, each
 * error carries `x-amzn-query-error: <query code>;Sender`, from which the SDK takes the error's
 * `Code` (the name the query protocol used).
 */
export class CloudWatchError extends Error {
  constructor(
    /** the shape name (`__type`) */
    readonly type: string,
    /** the query protocol's code */
    readonly queryCode: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const invalidParameter = (message: string) => new CloudWatchError('InvalidParameterValueException', 'InvalidParameterValue', message);
export const missingParameter = (name: string) => new CloudWatchError('MissingRequiredParameterException', 'MissingParameter', `The parameter ${name} is required.`);
export const invalidCombination = (message: string) => new CloudWatchError('InvalidParameterCombinationException', 'InvalidParameterCombination', message);
export const resourceNotFound = (message: string) => new CloudWatchError('ResourceNotFound', 'ResourceNotFound', message, 404);
export const dashboardNotFound = (message: string) => new CloudWatchError('DashboardNotFoundError', 'ResourceNotFound', message, 404);
export const invalidNextToken = () => new CloudWatchError('InvalidNextToken', 'InvalidNextToken', 'The service returned an error: invalid NextToken.');
