// Reserved concurrency through the Lambda API (PutFunctionConcurrency, GetFunctionConcurrency,
// DeleteFunctionConcurrency), driven by the AWS SDK v3 client: what a chaos run uses to stop a
// service mid-load without undeploying it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DeleteFunctionConcurrencyCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  InvalidParameterValueException,
  InvokeCommand,
  LambdaClient,
  PutFunctionConcurrencyCommand,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { createConcurrencyApiHandler, createLambdaApiHandler, LambdaRuntime } from '../../../../local/lambda';
import { fixtureFunction } from '../../../support/functions';
import { until } from '../../../support/poll';

const decode = (p: Uint8Array | undefined) => JSON.parse(Buffer.from(p ?? []).toString('utf8')) as Record<string, unknown>;

describe('reserved concurrency on the Lambda API', () => {
  // queueOverLocalLimit as the local cloud runs it: without a reservation, calls over the local cap wait
  const runtime = new LambdaRuntime({ queueOverLocalLimit: true });
  let server: http.Server;
  let client: LambdaClient;

  beforeAll(async () => {
    runtime.register(fixtureFunction('conc-echo', 'runtime.echo'));
    runtime.register(fixtureFunction('conc-slow', 'runtime.sleep'));
    const routes = [createConcurrencyApiHandler(runtime), createLambdaApiHandler(runtime)];
    server = http.createServer((req, res) => {
      void (async () => {
        for (const route of routes) if (await route(req, res)) return;
        res.writeHead(404);
        res.end('not a lambda route');
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new LambdaClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });

  afterAll(async () => {
    client.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await runtime.close();
  });

  it('throttles every invocation at 0 and runs them again once the reservation is deleted', async () => {
    expect((await client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'conc-echo' }))).ReservedConcurrentExecutions).toBeUndefined();
    expect((await client.send(new InvokeCommand({ FunctionName: 'conc-echo', Payload: Buffer.from('{"n":1}') }))).StatusCode).toBe(200);

    const put = await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'conc-echo', ReservedConcurrentExecutions: 0 }));
    expect(put.ReservedConcurrentExecutions).toBe(0);
    expect((await client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'conc-echo' }))).ReservedConcurrentExecutions).toBe(0);
    expect((await client.send(new GetFunctionCommand({ FunctionName: 'conc-echo' }))).Concurrency).toEqual({ ReservedConcurrentExecutions: 0 });
    // the warm environment is gone too: nothing runs
    expect(runtime.environments('conc-echo')).toEqual({ running: 0, idle: 0, starting: 0 });
    const err = await client.send(new InvokeCommand({ FunctionName: 'conc-echo', Payload: Buffer.from('{"n":2}') })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooManyRequestsException);

    await client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'conc-echo' }));
    expect((await client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'conc-echo' }))).ReservedConcurrentExecutions).toBeUndefined();
    const out = await client.send(new InvokeCommand({ FunctionName: 'conc-echo', Payload: Buffer.from('{"n":3}') }));
    expect(decode(out.Payload).event).toEqual({ n: 3 });
  });

  it('lets a running invocation finish when the limit drops to 0, then retires its environment', async () => {
    const running = client.send(new InvokeCommand({ FunctionName: 'conc-slow', Payload: Buffer.from('{"ms":600}') }));
    await until('the slow invocation to run', () => runtime.environments('conc-slow').running === 1, { timeoutMs: 20_000 });
    await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'conc-slow', ReservedConcurrentExecutions: 0 }));
    const out = await running;
    expect(out.FunctionError).toBeUndefined();
    expect(decode(out.Payload)).toMatchObject({ slept: 600 });
    await until('the environment to be retired', () => runtime.environments('conc-slow').idle === 0 && runtime.environments('conc-slow').running === 0);
    const err = await client.send(new InvokeCommand({ FunctionName: 'conc-slow', Payload: Buffer.from('{"ms":1}') })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooManyRequestsException);
    await client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'conc-slow' }));
  });

  it('refuses a negative or fractional limit and an unknown function as Lambda does', async () => {
    const negative = await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'conc-echo', ReservedConcurrentExecutions: -1 })).catch((e: unknown) => e);
    expect(negative).toBeInstanceOf(InvalidParameterValueException);
    const fraction = await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'conc-echo', ReservedConcurrentExecutions: 1.5 })).catch((e: unknown) => e);
    expect(fraction).toBeInstanceOf(InvalidParameterValueException);
    const unknown = await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'no-such-fn', ReservedConcurrentExecutions: 1 })).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ResourceNotFoundException);
    const deleteUnknown = await client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'no-such-fn' })).catch((e: unknown) => e);
    expect(deleteUnknown).toBeInstanceOf(ResourceNotFoundException);
  });
});
