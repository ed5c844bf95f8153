/** Errors raised while starting DynamoDB Local. */

/** The DynamoDB Local jar (npm package amplify-dynamodb-simulator) is not installed. */
export class DynamoDbLocalJarNotFoundError extends Error {
  constructor(detail: string) {
    super(`DynamoDB Local jar not found (install the npm package amplify-dynamodb-simulator): ${detail}`);
    this.name = 'DynamoDbLocalJarNotFoundError';
  }
}

/** DynamoDB Local did not come up; `output` is what the Java process printed. */
export class DynamoDbLocalStartError extends Error {
  constructor(
    reason: string,
    readonly output: string,
  ) {
    super(`DynamoDB Local failed to start: ${reason}\n--- java output ---\n${output || '(none)'}\n---`);
    this.name = 'DynamoDbLocalStartError';
  }
}
