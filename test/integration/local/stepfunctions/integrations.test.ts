// Service integrations through the real local Lambda runtime (fixture handlers) and DynamoDB Local behind
// the edge endpoint: output shapes, the error names Retry and Catch match, timeouts, task tokens with
// heartbeats, the trace header handed to Lambda, and the history hook.
import path from 'node:path';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../../../local/dynamodb';
import { startEdge } from '../../../../local/edge';
import { LambdaRuntime, type FunctionSpec } from '../../../../local/lambda';
import { createStepFunctions, type HistoryEvent as SfnEvent, type StepFunctions } from '../../../../local/stepfunctions';
import { eventually, tempDir } from './helpers';

const CODE_DIR = path.resolve(__dirname, '../../../fixtures/handlers');
const ROLE = 'arn:aws:iam::000000000000:role/sfn';
const fnArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

function spec(name: string, handler: string, extra: Partial<FunctionSpec> = {}): FunctionSpec {
  return { name, arn: fnArn(name), codeDir: CODE_DIR, handler, environment: {}, timeoutSeconds: 3, memoryMb: 128, ...extra };
}

let runtime: LambdaRuntime;
let ddb: DynamoDbLocal;
let edge: { url: string; close(): Promise<void> };
let sfn: StepFunctions;
let client: SFNClient;
const hooked: Array<{ arn: string; type: string; sm: string }> = [];
let seq = 0;

beforeAll(async () => {
  runtime = new LambdaRuntime({ shortFunctionMs: 0 });
  runtime.register(spec('sfn-echo', 'stepfunctions.echo'));
  runtime.register(spec('sfn-reserve', 'stepfunctions.reserve'));
  runtime.register(spec('sfn-flaky', 'stepfunctions.flaky'));
  runtime.register(spec('sfn-sleep', 'stepfunctions.sleep'));
  runtime.register(spec('sfn-short', 'stepfunctions.sleep', { timeoutSeconds: 1 }));
  runtime.register(spec('sfn-single', 'stepfunctions.sleep', { reservedConcurrency: 1 }));
  ddb = await startDynamoDbLocal({ port: 0 });
  let edgeUrl = '';
  sfn = createStepFunctions({
    dataDir: tempDir(),
    invokeLambda: (fn, payload, opts) => runtime.invoke(fn, payload, { traceHeader: opts.traceHeader, invocationType: opts.invocationType }),
    edgeUrl: () => edgeUrl,
    onHistoryEvent: (arn, ev: SfnEvent, sm) => hooked.push({ arn, type: ev.type, sm: sm.name }),
  });
  edge = await startEdge({ port: 0, services: [{ name: 'dynamodb', targets: ['DynamoDB_20120810.'], forwardTo: ddb.endpoint }, { name: 'stepfunctions', route: sfn.route }] });
  edgeUrl = edge.url;
  await sfn.resume();
  client = new SFNClient({ endpoint: edge.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, disableHostPrefix: true });
}, 60_000);

afterAll(async () => {
  client?.destroy();
  sfn?.close();
  await edge?.close();
  await ddb?.stop();
  await runtime?.close();
});

async function run(definition: unknown, input: unknown = {}) {
  const name = `int-${Date.now().toString(36)}-${seq++}`;
  const { stateMachineArn } = await client.send(new CreateStateMachineCommand({ name, roleArn: ROLE, definition: JSON.stringify(definition) }));
  const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
  return { stateMachineArn: stateMachineArn!, executionArn: executionArn!, name };
}

async function end(executionArn: string, ms = 15_000) {
  const d = await eventually(async () => {
    const x = await client.send(new DescribeExecutionCommand({ executionArn }));
    return x.status === 'RUNNING' ? undefined : x;
  }, ms);
  const h = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  return { d, events: h.events! };
}

const detailsOf = (events: HistoryEvent[], type: string) => events.filter((e) => e.type === type);

test('lambda:invoke: AWS output shape and history; the trace header reaches the function', async () => {
  const { executionArn } = await run({ StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'sfn-echo', 'Payload.$': '$' }, End: true } } }, { sku: 'A-1' });
  const { d, events } = await end(executionArn);
  expect(d.status).toBe('SUCCEEDED');
  const out = JSON.parse(d.output!);
  expect(out).toMatchObject({ ExecutedVersion: '$LATEST', StatusCode: 200, Payload: { got: { sku: 'A-1' } }, SdkHttpMetadata: { HttpStatusCode: 200 } });
  expect(out.SdkResponseMetadata.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(out.SdkHttpMetadata.HttpHeaders['X-Amz-Executed-Version']).toBe('$LATEST');
  // the function ran under the execution's trace: same Root, its own Parent
  const root = /Root=([^;]+)/.exec(d.traceHeader!)![1];
  expect(out.Payload.trace).toMatch(new RegExp(`^Root=${root};Parent=[0-9a-f]{16};Sampled=1$`));
  expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
  expect(events[2].taskScheduledEventDetails).toEqual({ resourceType: 'lambda', resource: 'invoke', region: 'us-east-1', parameters: '{"FunctionName":"sfn-echo","Payload":{"sku":"A-1"}}' });
  expect(events[3].taskStartedEventDetails).toEqual({ resourceType: 'lambda', resource: 'invoke' });
  expect(events[4].taskSucceededEventDetails).toMatchObject({ resourceType: 'lambda', resource: 'invoke', outputDetails: { truncated: false } });
  expect(hooked.filter((h) => h.arn === executionArn).map((h) => h.type)).toEqual(events.map((e) => e.type));
});

test("a function's own error type is what Retry and Catch match, with its error payload as cause", async () => {
  const { executionArn } = await run(
    {
      StartAt: 'Reserve',
      States: {
        Reserve: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'sfn-reserve', 'Payload.$': '$' },
          Retry: [{ ErrorEquals: ['InsufficientStockError'], MaxAttempts: 1, IntervalSeconds: 1 }],
          Catch: [{ ErrorEquals: ['InsufficientStockError'], ResultPath: '$.error', Next: 'Release' }],
          End: true,
        },
        Release: { Type: 'Pass', End: true },
      },
    },
    { sku: 'B-2', quantity: 5, available: 1 },
  );
  const { d, events } = await end(executionArn);
  expect(d.status).toBe('SUCCEEDED');
  const out = JSON.parse(d.output!);
  expect(out.error.Error).toBe('InsufficientStockError');
  const cause = JSON.parse(out.error.Cause);
  expect(cause).toMatchObject({ errorType: 'InsufficientStockError', errorMessage: 'only 1 left of B-2' });
  expect(Array.isArray(cause.trace)).toBe(true);
  expect(events.map((e) => e.type)).toEqual([
    'ExecutionStarted', 'TaskStateEntered',
    'TaskScheduled', 'TaskStarted', 'TaskFailed',
    'TaskScheduled', 'TaskStarted', 'TaskFailed',
    'TaskStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded',
  ]);
  expect(detailsOf(events, 'TaskFailed')[1].taskFailedEventDetails).toMatchObject({ resourceType: 'lambda', resource: 'invoke', error: 'InsufficientStockError' });
  const failedAt = detailsOf(events, 'TaskFailed')[0].timestamp!.getTime();
  const retriedAt = detailsOf(events, 'TaskScheduled')[1].timestamp!.getTime();
  expect(retriedAt - failedAt).toBeGreaterThanOrEqual(1000);
});

test('Parameters are evaluated per attempt: $$.State.RetryCount counts the retries', async () => {
  const { executionArn } = await run({
    StartAt: 'Flaky',
    States: {
      Flaky: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: 'sfn-flaky', Payload: { 'attempt.$': '$$.State.RetryCount', succeedAt: 2 } },
        ResultSelector: { 'result.$': '$.Payload' },
        Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, BackoffRate: 1, MaxAttempts: 3, JitterStrategy: 'FULL', MaxDelaySeconds: 1 }],
        End: true,
      },
    },
  });
  const { d, events } = await end(executionArn);
  expect(JSON.parse(d.output!)).toEqual({ result: { succeededAt: 2 } });
  expect(detailsOf(events, 'TaskScheduled').map((e) => JSON.parse(e.taskScheduledEventDetails!.parameters!).Payload.attempt)).toEqual([0, 1, 2]);
});

test('a plain function ARN as Resource records LambdaFunction* events and returns the raw result', async () => {
  const { executionArn } = await run({ StartAt: 'Legacy', States: { Legacy: { Type: 'Task', Resource: fnArn('sfn-echo'), End: true } } }, { x: 1 });
  const { d, events } = await end(executionArn);
  expect(JSON.parse(d.output!)).toMatchObject({ got: { x: 1 } });
  expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
  expect(events[2].lambdaFunctionScheduledEventDetails).toEqual({ resource: fnArn('sfn-echo'), input: '{"x":1}', inputDetails: { truncated: false } });
});

test('timeouts: the function running out of time is Sandbox.Timedout, the Task timeout States.Timeout', async () => {
  const sandbox = await run({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'sfn-short', Payload: { ms: 2000 } }, End: true } } });
  const a = await end(sandbox.executionArn);
  expect(a.d).toMatchObject({ status: 'FAILED', error: 'Sandbox.Timedout' });
  expect(JSON.parse(a.d.cause!)).toMatchObject({ errorType: 'Sandbox.Timedout' });
  expect(JSON.parse(a.d.cause!).errorMessage).toMatch(/^RequestId: [0-9a-f-]{36} Error: /);

  const task = await run({
    StartAt: 'T',
    States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', TimeoutSeconds: 1, Parameters: { FunctionName: 'sfn-sleep', Payload: { ms: 2500 } }, Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Late' }], End: true }, Late: { Type: 'Pass', End: true } },
  });
  const b = await end(task.executionArn);
  expect(JSON.parse(b.d.output!)).toEqual({ Error: 'States.Timeout', Cause: '' });
  expect(b.events.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskTimedOut', 'TaskStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
  expect(b.events[2].taskScheduledEventDetails?.timeoutInSeconds).toBe(1);
  expect(b.events[4].taskTimedOutEventDetails).toEqual({ resourceType: 'lambda', resource: 'invoke', error: 'States.Timeout' });
});

test('an unknown function is Lambda.ResourceNotFoundException; a throttle Lambda.TooManyRequestsException', async () => {
  const missing = await run({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'no-such-fn' }, End: true } } });
  const a = await end(missing.executionArn);
  expect(a.d.error).toBe('Lambda.ResourceNotFoundException');
  expect(a.d.cause).toMatch(/^Function not found: arn:aws:lambda:us-east-1:000000000000:function:no-such-fn:\$LATEST \(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: [0-9a-f-]{36}; Proxy: null\)$/);

  const throttled = await run(
    {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          MaxConcurrency: 2,
          ItemProcessor: {
            StartAt: 'T',
            States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'sfn-single', 'Payload.$': '$' }, Catch: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], Next: 'Throttled' }], End: true }, Throttled: { Type: 'Pass', End: true } },
          },
          End: true,
        },
      },
    },
    [{ ms: 500 }, { ms: 500 }],
  );
  const b = await end(throttled.executionArn);
  const outs = JSON.parse(b.d.output!) as Array<Record<string, unknown>>;
  const caught = outs.filter((o) => o.Error === 'Lambda.TooManyRequestsException');
  expect(caught).toHaveLength(1);
  expect(caught[0].Cause).toMatch(/^Rate Exceeded\. \(Service: AWSLambda; Status Code: 429; Error Code: TooManyRequestsException; Request ID: .+; Proxy: null\)$/);
});

test('.waitForTaskToken: the task waits for SendTaskSuccess; heartbeats keep it alive; a used token is TaskTimedOut', async () => {
  const { executionArn } = await run({
    StartAt: 'Wait',
    States: {
      Wait: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        HeartbeatSeconds: 1,
        Parameters: { FunctionName: 'sfn-echo', Payload: { 'token.$': '$$.Task.Token' } },
        End: true,
      },
    },
  });
  const submitted = await eventually(async () => {
    const h = await client.send(new GetExecutionHistoryCommand({ executionArn }));
    return h.events!.some((e) => e.type === 'TaskSubmitted') ? h.events! : undefined;
  });
  const token = JSON.parse(detailsOf(submitted, 'TaskScheduled')[0].taskScheduledEventDetails!.parameters!).Payload.token as string;
  expect(detailsOf(submitted, 'TaskScheduled')[0].taskScheduledEventDetails).toMatchObject({ resource: 'invoke.waitForTaskToken', heartbeatInSeconds: 1 });
  // keep it alive past two heartbeat periods
  for (let i = 0; i < 4; i++) {
    await new Promise((r) => setTimeout(r, 500));
    await client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
  }
  await client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
  const { d, events } = await end(executionArn);
  expect(JSON.parse(d.output!)).toEqual({ approved: true });
  expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
  await expect(client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toMatchObject({ name: 'TaskTimedOut', message: "Task Timed Out: 'Provided task does not exist anymore'" });
});

test('a missed heartbeat times the task out (States.Timeout), which a States.HeartbeatTimeout catcher takes', async () => {
  const { executionArn } = await run({
    StartAt: 'Wait',
    States: {
      Wait: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        HeartbeatSeconds: 1,
        Parameters: { FunctionName: 'sfn-echo', Payload: { 'token.$': '$$.Task.Token' } },
        Catch: [{ ErrorEquals: ['States.HeartbeatTimeout'], Next: 'Gone' }],
        End: true,
      },
      Gone: { Type: 'Pass', End: true },
    },
  });
  const { d, events } = await end(executionArn);
  expect(JSON.parse(d.output!)).toEqual({ Error: 'States.Timeout', Cause: '' });
  expect(detailsOf(events, 'TaskTimedOut')[0].taskTimedOutEventDetails).toEqual({ resourceType: 'lambda', resource: 'invoke.waitForTaskToken', error: 'States.Timeout' });
});

test('DynamoDB optimized integrations (put, update, get, delete) and the SDK form with its error names', async () => {
  const table = `sfn-items-${seq++}`;
  const dynamo = new DynamoDBClient({ endpoint: edge.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await dynamo.send(new CreateTableCommand({ TableName: table, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
  const { executionArn } = await run(
    {
      StartAt: 'Put',
      States: {
        Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: table, Item: { pk: { 'S.$': '$.id' }, stock: { N: '5' } } }, ResultPath: null, Next: 'Take' },
        Take: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:updateItem',
          Parameters: { TableName: table, Key: { pk: { 'S.$': '$.id' } }, UpdateExpression: 'SET stock = stock - :q', ConditionExpression: 'stock >= :q', ExpressionAttributeValues: { ':q': { N: '2' } }, ReturnValues: 'UPDATED_NEW' },
          ResultSelector: { 'stock.$': '$.Attributes.stock.N' },
          ResultPath: '$.after',
          Next: 'Get',
        },
        Get: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: table, Key: { pk: { 'S.$': '$.id' } } }, ResultPath: '$.got', Next: 'TooMuch' },
        TooMuch: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:dynamodb:updateItem',
          Parameters: { TableName: table, Key: { pk: { 'S.$': '$.id' } }, UpdateExpression: 'SET stock = stock - :q', ConditionExpression: 'stock >= :q', ExpressionAttributeValues: { ':q': { N: '99' } } },
          Catch: [{ ErrorEquals: ['DynamoDb.ConditionalCheckFailedException'], ResultPath: '$.refused', Next: 'Delete' }],
          Next: 'Delete',
        },
        Delete: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:deleteItem', Parameters: { TableName: table, Key: { pk: { 'S.$': '$.id' } } }, ResultPath: null, Next: 'Missing' },
        Missing: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Parameters: { TableName: 'no-such-table', Key: { pk: { S: 'x' } } },
          Catch: [{ ErrorEquals: ['DynamoDB.ResourceNotFoundException'], ResultPath: '$.noTable', Next: 'Done' }],
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    },
    { id: 'sku-1' },
  );
  const { d, events } = await end(executionArn);
  expect(d.status).toBe('SUCCEEDED');
  const out = JSON.parse(d.output!);
  expect(out.after).toEqual({ stock: '3' });
  expect(out.got.Item).toEqual({ pk: { S: 'sku-1' }, stock: { N: '3' } });
  expect(out.got.SdkHttpMetadata.HttpStatusCode).toBe(200);
  expect(out.refused.Error).toBe('DynamoDb.ConditionalCheckFailedException');
  expect(out.refused.Cause).toMatch(/\(Service: DynamoDb, Status Code: 400, Request ID: .+\)$/);
  expect(out.noTable.Error).toBe('DynamoDB.ResourceNotFoundException');
  expect(out.noTable.Cause).toMatch(/ \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ResourceNotFoundException; Request ID: .+; Proxy: null\)$/);
  expect(detailsOf(events, 'TaskScheduled').map((e) => `${e.taskScheduledEventDetails!.resourceType}:${e.taskScheduledEventDetails!.resource}`)).toEqual([
    'dynamodb:putItem', 'dynamodb:updateItem', 'dynamodb:getItem', 'aws-sdk:dynamodb:updateItem', 'dynamodb:deleteItem', 'dynamodb:getItem',
  ]);
  expect((await dynamo.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'sku-1' } } }))).Item).toBeUndefined();
  dynamo.destroy();
});

test('states:startExecution.sync and .sync:2 run a nested execution and wait for it', async () => {
  const child = await client.send(
    new CreateStateMachineCommand({ name: `child-${seq++}`, roleArn: ROLE, definition: JSON.stringify({ StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Y' }], Default: 'N' }, Y: { Type: 'Pass', Result: { child: 'done' }, End: true }, N: { Type: 'Fail', Error: 'ChildFailed', Cause: 'no' } } }) }),
  );
  const { executionArn } = await run(
    {
      StartAt: 'Sync',
      States: {
        Sync: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', Parameters: { StateMachineArn: child.stateMachineArn, Input: { ok: true } }, ResultSelector: { 'status.$': '$.Status', 'output.$': '$.Output' }, ResultPath: '$.v1', Next: 'Sync2' },
        Sync2: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: child.stateMachineArn, Input: { ok: true } }, ResultSelector: { 'output.$': '$.Output' }, ResultPath: '$.v2', Next: 'Fails' },
        Fails: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', Parameters: { StateMachineArn: child.stateMachineArn, Input: { ok: false } }, Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.failed', Next: 'Done' }], Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    },
    {},
  );
  const { d, events } = await end(executionArn);
  const out = JSON.parse(d.output!);
  expect(out.v1).toEqual({ status: 'SUCCEEDED', output: '{"child":"done"}' });
  expect(out.v2).toEqual({ output: { child: 'done' } });
  expect(out.failed.Error).toBe('States.TaskFailed');
  expect(JSON.parse(out.failed.Cause)).toMatchObject({ Status: 'FAILED', Error: 'ChildFailed', Cause: 'no' });
  expect(detailsOf(events, 'TaskSubmitted')).toHaveLength(3);
  expect(detailsOf(events, 'TaskSubmitted')[0].taskSubmittedEventDetails).toMatchObject({ resourceType: 'states', resource: 'startExecution.sync' });
});

test('JSONata Task: Arguments, Output from $states.result, Assign, TimeoutSeconds as an expression', async () => {
  const { executionArn } = await run(
    {
      QueryLanguage: 'JSONata',
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          TimeoutSeconds: '{% $states.input.timeout %}',
          Arguments: { FunctionName: 'sfn-echo', Payload: { sku: '{% $states.input.sku %}', attempt: '{% $states.context.State.RetryCount %}' } },
          Assign: { status: '{% $states.result.StatusCode %}' },
          Output: '{% $states.result.Payload.got %}',
          Next: 'After',
        },
        After: { Type: 'Pass', Output: '{% $merge([$states.input, { "status": $status }]) %}', End: true },
      },
    },
    { sku: 'J-1', timeout: 5 },
  );
  const { d, events } = await end(executionArn);
  expect(JSON.parse(d.output!)).toEqual({ sku: 'J-1', attempt: 0, status: 200 });
  expect(detailsOf(events, 'TaskScheduled')[0].taskScheduledEventDetails).toMatchObject({ parameters: '{"FunctionName":"sfn-echo","Payload":{"sku":"J-1","attempt":0}}', timeoutInSeconds: 5 });
});
