// The Lambda REST API handler over a real HTTP server, driven by the AWS SDK v3 Lambda client.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { createLambdaApiHandler, FunctionSpec, LambdaRuntime } from '../../../../local/lambda';
import { fixtureFunction } from '../../../support/functions';
import { until } from '../../../support/poll';


const spec = (name: string, handler: string, extra: Partial<FunctionSpec> = {}) => fixtureFunction(name, handler, { environment: { FIXTURE_VALUE: name }, ...extra });

const decode = (p: Uint8Array | undefined) => JSON.parse(Buffer.from(p ?? []).toString('utf8')) as Record<string, unknown>;

describe('Lambda REST API', () => {
  const runtime = new LambdaRuntime();
  let server: http.Server;
  let client: LambdaClient;

  beforeAll(async () => {
    runtime.register(spec('api-echo', 'runtime.echo', { timeoutSeconds: 7, memoryMb: 256 }));
    runtime.register(spec('api-throws', 'runtime.throws'));
    runtime.register(spec('api-logs', 'runtime.logs'));
    runtime.register(spec('api-slow', 'runtime.sleep', { reservedConcurrency: 1 }));
    const handle = createLambdaApiHandler(runtime);
    server = http.createServer((req, res) => {
      handle(req, res).then(
        (handled) => {
          if (!handled) {
            res.writeHead(404);
            res.end('not a lambda route');
          }
        },
        (err: unknown) => {
          res.writeHead(500);
          res.end(String(err));
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new LambdaClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    client.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await runtime.close();
  });

  test('Invoke returns the payload', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'api-echo', Payload: Buffer.from(JSON.stringify({ hello: 'world' })) }));
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(out.ExecutedVersion).toBe('$LATEST');
    const body = decode(out.Payload);
    expect(body.event).toEqual({ hello: 'world' });
    expect((body.env as Record<string, string>).FIXTURE_VALUE).toBe('api-echo');
  });

  test('Invoke by ARN with a client context', async () => {
    const cc = Buffer.from(JSON.stringify({ custom: { a: 1 } })).toString('base64');
    const out = await client.send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:api-echo', ClientContext: cc }));
    const body = decode(out.Payload);
    expect((body.context as Record<string, unknown>).clientContext).toEqual({ custom: { a: 1 } });
  });

  test('a function error is 200 with X-Amz-Function-Error: Unhandled', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'api-throws', Payload: Buffer.from('{}') }));
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    const body = decode(out.Payload);
    expect(body.errorType).toBe('ValidationError');
    expect(body.errorMessage).toMatch(/^bad input \d+$/);
    expect(Array.isArray(body.trace)).toBe(true);
  });

  test('LogType Tail returns the last 4 KB of the log, base64', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'api-logs', LogType: 'Tail', Payload: Buffer.from('{"n":5}') }));
    expect(out.LogResult).toBeDefined();
    const log = Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');
    expect(log).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST\n/);
    expect(log).toContain('INFO\thello { n: 5 }');
    expect(log).toContain('raw line two');
    expect(log).toMatch(/END RequestId: [0-9a-f-]{36}\nREPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms/);
    expect(Buffer.from(out.LogResult ?? '', 'base64').length).toBeLessThanOrEqual(4096);
  });

  test('an unknown function is ResourceNotFoundException', async () => {
    const err = await client.send(new InvokeCommand({ FunctionName: 'does-not-exist' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect((err as ResourceNotFoundException).message).toBe('Function not found: arn:aws:lambda:us-east-1:000000000000:function:does-not-exist');
    expect((err as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
  });

  test('Event invocations are accepted with 202, DryRun with 204', async () => {
    const ev = await client.send(new InvokeCommand({ FunctionName: 'api-echo', InvocationType: 'Event', Payload: Buffer.from('{}') }));
    expect(ev.StatusCode).toBe(202);
    const dry = await client.send(new InvokeCommand({ FunctionName: 'api-echo', InvocationType: 'DryRun' }));
    expect(dry.StatusCode).toBe(204);
  });

  test('throttled invocations are TooManyRequestsException', async () => {
    const slow = client.send(new InvokeCommand({ FunctionName: 'api-slow', Payload: Buffer.from('{"ms":400}') }));
    await until('the slow invocation to hold the only environment', () => runtime.environments('api-slow').running + runtime.environments('api-slow').starting === 1);
    const err = await client.send(new InvokeCommand({ FunctionName: 'api-slow', Payload: Buffer.from('{"ms":1}') })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooManyRequestsException);
    expect((err as TooManyRequestsException).$metadata.httpStatusCode).toBe(429);
    expect((await slow).StatusCode).toBe(200);
  });

  test('GetFunction describes the configuration', async () => {
    const out = await client.send(new GetFunctionCommand({ FunctionName: 'api-echo' }));
    expect(out.Configuration).toMatchObject({
      FunctionName: 'api-echo',
      FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:api-echo',
      Runtime: 'nodejs20.x',
      Handler: 'runtime.echo',
      Timeout: 7,
      MemorySize: 256,
      Environment: { Variables: { FIXTURE_VALUE: 'api-echo' } },
    });
    const missing = await client.send(new GetFunctionCommand({ FunctionName: 'nope' })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
  });

  test('ListFunctions lists the registered functions', async () => {
    const out = await client.send(new ListFunctionsCommand({}));
    expect((out.Functions ?? []).map((f) => f.FunctionName).sort()).toEqual(['api-echo', 'api-logs', 'api-slow', 'api-throws']);
  });
});
