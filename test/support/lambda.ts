/**
 * What unit tests of Lambda code need without a Lambda runtime: a context, an API Gateway proxy
 * event, and the JSON log lines that Powertools' logger wrote while some code ran.
 */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

export function lambdaContext(overrides: Partial<Context> = {}): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'unit-test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:unit-test',
    memoryLimitInMB: '256',
    awsRequestId: 'lambda-request-1',
    logGroupName: '/aws/lambda/unit-test',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
  };
}

export function apiEvent(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    httpMethod: 'POST',
    path: '/api/things',
    resource: '/api/things',
    body: null,
    isBase64Encoded: false,
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: { requestId: 'api-request-1' } as APIGatewayProxyEvent['requestContext'],
    ...overrides,
  };
}

export type LogLine = Record<string, unknown> & { level: string; message: string };

/**
 * Runs `run` and returns what it resolved to with the JSON lines written to stdout and stderr
 * meanwhile (Powertools' logger writes there; other output is ignored).
 */
export async function capturingLogs<T>(run: () => Promise<T>): Promise<{ result: T; logs: LogLine[] }> {
  const lines: string[] = [];
  const capture = (chunk: unknown) => {
    lines.push(...String(chunk).split('\n'));
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    const result = await run();
    return { result, logs: lines.flatMap((l) => (l.startsWith('{') ? [JSON.parse(l) as LogLine] : [])) };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
