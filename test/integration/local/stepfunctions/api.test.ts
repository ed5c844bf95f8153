// The Step Functions API through @aws-sdk/client-sfn: every operation, AWS's error shapes and wording.
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  ListTagsForResourceCommand,
  RedriveExecutionCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { skippingClock } from '../../../../local/stepfunctions';
import { eventually, startSfn, type RunningSfn } from './helpers';

const ROLE = 'arn:aws:iam::000000000000:role/sfn';
const ACCOUNT = '000000000000';

const passMachine = (result: unknown) => JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: result, End: true } } });
const waitMachine = (seconds: number) => JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: seconds, Next: 'Done' }, Done: { Type: 'Succeed' } } });

async function rejection(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

let counter = 0;
const unique = (p: string) => `${p}-${Date.now().toString(36)}-${counter++}`;

async function create(client: SFNClient, definition: string, type: 'STANDARD' | 'EXPRESS' = 'STANDARD', name = unique('sm')) {
  const r = await client.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE, type }));
  return r.stateMachineArn!;
}

async function finished(client: SFNClient, executionArn: string) {
  return eventually(async () => {
    const d = await client.send(new DescribeExecutionCommand({ executionArn }));
    return d.status === 'RUNNING' ? undefined : d;
  });
}

describe('Step Functions API', () => {
  let sfn: RunningSfn;
  let client: SFNClient;
  beforeAll(async () => {
    sfn = await startSfn();
    client = sfn.client;
  });
  afterAll(async () => {
    await sfn.close();
  });

  test('errors travel as AWS JSON 1.0: 400, __type, message and x-amzn-ErrorType', async () => {
    const res = await fetch(sfn.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.DescribeStateMachine' },
      body: JSON.stringify({ stateMachineArn: `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:nope` }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('StateMachineDoesNotExist');
    expect(await res.json()).toEqual({ __type: 'StateMachineDoesNotExist', message: `State Machine Does Not Exist: 'arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:nope'` });
  });

  test('state machines: create (idempotent), describe, list, update, tags, delete', async () => {
    const name = unique('crud');
    const def = passMachine({ a: 1 });
    const created = await client.send(new CreateStateMachineCommand({ name, definition: def, roleArn: ROLE, tags: [{ key: 'team', value: 'orders' }] }));
    expect(created.stateMachineArn).toBe(`arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:${name}`);
    expect(created.creationDate).toBeInstanceOf(Date);
    const again = await client.send(new CreateStateMachineCommand({ name, definition: def, roleArn: ROLE }));
    expect(again.stateMachineArn).toBe(created.stateMachineArn);
    expect(again.creationDate?.getTime()).toBe(created.creationDate?.getTime());
    const dup = await rejection(client.send(new CreateStateMachineCommand({ name, definition: passMachine({ a: 2 }), roleArn: ROLE })));
    expect(dup).toEqual({ name: 'StateMachineAlreadyExists', message: `State Machine Already Exists: '${created.stateMachineArn}'`, status: 400 });

    const d = await client.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    expect(d).toMatchObject({ stateMachineArn: created.stateMachineArn, name, status: 'ACTIVE', definition: def, roleArn: ROLE, type: 'STANDARD', loggingConfiguration: { level: 'OFF', includeExecutionData: false }, tracingConfiguration: { enabled: false } });

    const list = await client.send(new ListStateMachinesCommand({}));
    expect(list.stateMachines?.find((m) => m.name === name)).toMatchObject({ stateMachineArn: created.stateMachineArn, type: 'STANDARD' });

    const none = await rejection(client.send(new UpdateStateMachineCommand({ stateMachineArn: created.stateMachineArn })));
    expect(none).toMatchObject({ name: 'MissingRequiredParameter', message: 'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified' });
    const upd = await client.send(new UpdateStateMachineCommand({ stateMachineArn: created.stateMachineArn, definition: passMachine({ a: 3 }) }));
    expect(upd.revisionId).toMatch(/^[0-9a-f-]{36}$/);
    const d2 = await client.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    expect(JSON.parse(d2.definition!)).toEqual(JSON.parse(passMachine({ a: 3 })));
    expect(d2.revisionId).toBe(upd.revisionId);

    expect((await client.send(new ListTagsForResourceCommand({ resourceArn: created.stateMachineArn }))).tags).toEqual([{ key: 'team', value: 'orders' }]);
    await client.send(new TagResourceCommand({ resourceArn: created.stateMachineArn, tags: [{ key: 'env', value: 'local' }] }));
    await client.send(new UntagResourceCommand({ resourceArn: created.stateMachineArn, tagKeys: ['team'] }));
    expect((await client.send(new ListTagsForResourceCommand({ resourceArn: created.stateMachineArn }))).tags).toEqual([{ key: 'env', value: 'local' }]);

    await client.send(new DeleteStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    const gone = await rejection(client.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn })));
    expect(gone).toEqual({ name: 'StateMachineDoesNotExist', message: `State Machine Does Not Exist: '${created.stateMachineArn}'`, status: 400 });
  });

  test('invalid definitions, names and ARNs are refused with AWS wording', async () => {
    const noStates = await rejection(client.send(new CreateStateMachineCommand({ name: unique('bad'), definition: '{"StartAt":"A"}', roleArn: ROLE })));
    expect(noStates).toMatchObject({ name: 'InvalidDefinition', message: "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'" });
    const badType = await rejection(client.send(new CreateStateMachineCommand({ name: unique('bad'), definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Nope', End: true } } }), roleArn: ROLE })));
    expect(badType.message).toBe("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map] at /States/A/Type'");
    const dangling = await rejection(
      client.send(new CreateStateMachineCommand({ name: unique('bad'), definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nope' }, B: { Type: 'Succeed' } } }), roleArn: ROLE })),
    );
    expect(dangling.message).toBe(
      "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: Nope at /States/A/Next, MISSING_END_STATE: Workflow has no terminal state at null'",
    );
    const unreachable = await rejection(
      client.send(new CreateStateMachineCommand({ name: unique('bad'), definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Succeed' }, B: { Type: 'Succeed' } } }), roleArn: ROLE })),
    );
    expect(unreachable.message).toBe(`Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: State "B" is not reachable. at /States/B'`);
    const badPath = await rejection(
      client.send(new CreateStateMachineCommand({ name: unique('bad'), definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Parameters: { 'x.$': 'States.Nope($.a)' }, End: true } } }), roleArn: ROLE })),
    );
    expect(badPath.message).toBe("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call at /States/A/Parameters'");
    const badChoice = await rejection(
      client.send(new CreateStateMachineCommand({ name: unique('bad'), definition: JSON.stringify({ StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.x', NumericEquals: 'one', Next: 'D' }] }, D: { Type: 'Succeed' } } }), roleArn: ROLE })),
    );
    expect(badChoice.message).toBe("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Value must be a number at /States/C/Choices[0]/NumericEquals'");
    const badResource = await rejection(
      client.send(new CreateStateMachineCommand({ name: unique('bad'), definition: JSON.stringify({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:query', End: true } } }), roleArn: ROLE })),
    );
    expect(badResource.message).toBe(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The resource provided arn:aws:states:::dynamodb:query is not recognized. The value is not a valid resource ARN, or the resource is not available in this region. at /States/T/Resource'",
    );
    expect(await rejection(client.send(new CreateStateMachineCommand({ name: 'has space', definition: passMachine(1), roleArn: ROLE })))).toMatchObject({ name: 'InvalidName', message: "Invalid Name: 'has space'" });
    expect(await rejection(client.send(new DescribeStateMachineCommand({ stateMachineArn: 'not_a_valid_arn' })))).toMatchObject({ name: 'InvalidArn', message: "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'" });
    expect(await rejection(client.send(new CreateStateMachineCommand({ name: unique('x'), definition: passMachine(1), roleArn: 'role' })))).toMatchObject({ name: 'InvalidArn' });
  });

  test('ValidateStateMachineDefinition answers OK or FAIL with diagnostics', async () => {
    expect(await client.send(new ValidateStateMachineDefinitionCommand({ definition: passMachine(1) }))).toMatchObject({ result: 'OK', diagnostics: [], truncated: false });
    const r = await client.send(new ValidateStateMachineDefinitionCommand({ definition: '{}' }));
    expect(r.result).toBe('FAIL');
    expect(r.diagnostics).toEqual([{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'These fields are required: [States, StartAt]', location: '/' }]);
    const wftt = await client.send(
      new ValidateStateMachineDefinitionCommand({
        type: 'EXPRESS',
        definition: JSON.stringify({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', End: true } } }),
      }),
    );
    expect(wftt.diagnostics).toEqual([{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: "Express state machine does not support '.waitForTaskToken' service integration ", location: '/States/T/Resource' }]);
  });

  test('StartExecution: same name and input while running returns it again; other input or a closed one is ExecutionAlreadyExists', async () => {
    const sm = await create(client, waitMachine(30));
    const name = unique('exec');
    const a = await client.send(new StartExecutionCommand({ stateMachineArn: sm, name, input: '{"n":1}' }));
    expect(a.executionArn).toBe(`arn:aws:states:us-east-1:${ACCOUNT}:execution:${sm.split(':').pop()}:${name}`);
    const b = await client.send(new StartExecutionCommand({ stateMachineArn: sm, name, input: '{ "n" : 1 }' }));
    expect(b.executionArn).toBe(a.executionArn);
    expect(b.startDate?.getTime()).toBe(a.startDate?.getTime());
    const other = await rejection(client.send(new StartExecutionCommand({ stateMachineArn: sm, name, input: '{"n":2}' })));
    expect(other).toEqual({ name: 'ExecutionAlreadyExists', message: `Execution Already Exists: '${a.executionArn}'`, status: 400 });
    await client.send(new StopExecutionCommand({ executionArn: a.executionArn }));
    const closed = await rejection(client.send(new StartExecutionCommand({ stateMachineArn: sm, name, input: '{"n":1}' })));
    expect(closed.name).toBe('ExecutionAlreadyExists');
    const badInput = await rejection(client.send(new StartExecutionCommand({ stateMachineArn: sm, input: "{'a':1}" })));
    expect(badInput.name).toBe('InvalidExecutionInput');
    expect(badInput.message.startsWith('Invalid State Machine Execution Input: ')).toBe(true);
    const missing = await rejection(client.send(new StartExecutionCommand({ stateMachineArn: `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:missing` })));
    expect(missing.name).toBe('StateMachineDoesNotExist');
  });

  test('DescribeExecution and GetExecutionHistory: AWS event types, ids, previousEventId, details, reverse order, pagination', async () => {
    const def = JSON.stringify({
      StartAt: 'Shape',
      States: {
        Shape: { Type: 'Pass', Parameters: { 'n.$': '$.n', 'exec.$': '$$.Execution.Name' }, ResultPath: '$.shaped', Next: 'Pick' },
        Pick: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 1, Next: 'Big' }], Default: 'Small' },
        Big: { Type: 'Succeed' },
        Small: { Type: 'Fail', Error: 'TooSmall', Cause: 'n must be > 1' },
      },
    });
    const sm = await create(client, def);
    const ok = await client.send(new StartExecutionCommand({ stateMachineArn: sm, name: 'big', input: '{"n":2}' }));
    const d = await finished(client, ok.executionArn!);
    expect(d).toMatchObject({ status: 'SUCCEEDED', name: 'big', stateMachineArn: sm, input: '{"n":2}', inputDetails: { included: true }, redriveCount: 0, redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven' });
    expect(JSON.parse(d.output!)).toEqual({ n: 2, shaped: { n: 2, exec: 'big' } });
    expect(d.stopDate!.getTime()).toBeGreaterThanOrEqual(d.startDate!.getTime());

    const h = await client.send(new GetExecutionHistoryCommand({ executionArn: ok.executionArn }));
    const events = h.events!.map((e) => ({ id: e.id, previousEventId: e.previousEventId, type: e.type }));
    expect(events).toEqual([
      { id: 1, previousEventId: 0, type: 'ExecutionStarted' },
      { id: 2, previousEventId: 0, type: 'PassStateEntered' },
      { id: 3, previousEventId: 2, type: 'PassStateExited' },
      { id: 4, previousEventId: 3, type: 'ChoiceStateEntered' },
      { id: 5, previousEventId: 4, type: 'ChoiceStateExited' },
      { id: 6, previousEventId: 5, type: 'SucceedStateEntered' },
      { id: 7, previousEventId: 6, type: 'SucceedStateExited' },
      { id: 8, previousEventId: 7, type: 'ExecutionSucceeded' },
    ]);
    expect(h.events![0].executionStartedEventDetails).toEqual({ input: '{"n":2}', inputDetails: { truncated: false }, roleArn: ROLE });
    expect(h.events![1].stateEnteredEventDetails).toEqual({ name: 'Shape', input: '{"n":2}', inputDetails: { truncated: false } });
    expect(h.events![2].stateExitedEventDetails).toEqual({ name: 'Shape', output: '{"n":2,"shaped":{"n":2,"exec":"big"}}', outputDetails: { truncated: false } });
    expect(h.events![7].executionSucceededEventDetails).toEqual({ output: '{"n":2,"shaped":{"n":2,"exec":"big"}}', outputDetails: { truncated: false } });
    expect(h.events![0].timestamp).toBeInstanceOf(Date);

    const rev = await client.send(new GetExecutionHistoryCommand({ executionArn: ok.executionArn, reverseOrder: true, maxResults: 3 }));
    expect(rev.events!.map((e) => e.id)).toEqual([8, 7, 6]);
    const rest = await client.send(new GetExecutionHistoryCommand({ executionArn: ok.executionArn, reverseOrder: true, maxResults: 3, nextToken: rev.nextToken }));
    expect(rest.events!.map((e) => e.id)).toEqual([5, 4, 3]);
    const lean = await client.send(new GetExecutionHistoryCommand({ executionArn: ok.executionArn, includeExecutionData: false, maxResults: 2 }));
    expect(lean.events![1].stateEnteredEventDetails).toEqual({ name: 'Shape', inputDetails: { truncated: false } });

    const bad = await client.send(new StartExecutionCommand({ stateMachineArn: sm, name: 'small', input: '{"n":1}' }));
    const f = await finished(client, bad.executionArn!);
    expect(f).toMatchObject({ status: 'FAILED', error: 'TooSmall', cause: 'n must be > 1', redriveStatus: 'REDRIVABLE' });
    const fh = await client.send(new GetExecutionHistoryCommand({ executionArn: bad.executionArn, reverseOrder: true, maxResults: 2 }));
    expect(fh.events!.map((e) => e.type)).toEqual(['ExecutionFailed', 'FailStateEntered']);
    expect(fh.events![0].executionFailedEventDetails).toEqual({ error: 'TooSmall', cause: 'n must be > 1' });

    const missing = `arn:aws:states:us-east-1:${ACCOUNT}:execution:${sm.split(':').pop()}:nope`;
    expect(await rejection(client.send(new DescribeExecutionCommand({ executionArn: missing })))).toEqual({ name: 'ExecutionDoesNotExist', message: `Execution Does Not Exist: '${missing}'`, status: 400 });
    expect(await rejection(client.send(new GetExecutionHistoryCommand({ executionArn: missing })))).toMatchObject({ name: 'ExecutionDoesNotExist' });
    expect(await rejection(client.send(new DescribeExecutionCommand({ executionArn: sm })))).toMatchObject({ name: 'InvalidArn', message: "Invalid Arn: 'Resource type not valid in this context: stateMachine'" });
  });

  test('ListExecutions filters by status and paginates, newest first', async () => {
    const sm = await create(client, JSON.stringify({ StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'S' }], Default: 'F' }, S: { Type: 'Succeed' }, F: { Type: 'Fail' } } }));
    const arns: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await client.send(new StartExecutionCommand({ stateMachineArn: sm, name: `e${i}`, input: JSON.stringify({ ok: i % 2 === 0 }) }));
      await finished(client, r.executionArn!);
      arns.push(r.executionArn!);
    }
    const ok = await client.send(new ListExecutionsCommand({ stateMachineArn: sm, statusFilter: 'SUCCEEDED' }));
    expect(ok.executions!.map((e) => e.name)).toEqual(['e4', 'e2', 'e0']);
    expect(ok.executions![0]).toMatchObject({ executionArn: arns[4], stateMachineArn: sm, status: 'SUCCEEDED', redriveCount: 0 });
    const p1 = await client.send(new ListExecutionsCommand({ stateMachineArn: sm, maxResults: 2 }));
    expect(p1.executions!.map((e) => e.name)).toEqual(['e4', 'e3']);
    const p2 = await client.send(new ListExecutionsCommand({ stateMachineArn: sm, maxResults: 2, nextToken: p1.nextToken }));
    expect(p2.executions!.map((e) => e.name)).toEqual(['e2', 'e1']);
    const p3 = await client.send(new ListExecutionsCommand({ stateMachineArn: sm, maxResults: 2, nextToken: p2.nextToken }));
    expect(p3.executions!.map((e) => e.name)).toEqual(['e0']);
    expect(p3.nextToken).toBeUndefined();
    const badFilter = await rejection(client.send(new ListExecutionsCommand({ stateMachineArn: sm, statusFilter: 'succeeded' as never })));
    expect(badFilter.message).toBe("1 validation error detected: Value 'succeeded' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]");
    expect((await rejection(client.send(new ListExecutionsCommand({ stateMachineArn: sm, maxResults: 1001 })))).name).toBe('ValidationException');
  });

  test('StopExecution records ExecutionAborted; RedriveExecution continues from the state that did not finish', async () => {
    const sm = await create(client, waitMachine(1));
    const r = await client.send(new StartExecutionCommand({ stateMachineArn: sm, name: 'stopped' }));
    const stop = await client.send(new StopExecutionCommand({ executionArn: r.executionArn, error: 'Operator', cause: 'stopped by a test' }));
    expect(stop.stopDate).toBeInstanceOf(Date);
    const d = await client.send(new DescribeExecutionCommand({ executionArn: r.executionArn }));
    expect(d).toMatchObject({ status: 'ABORTED', error: 'Operator', cause: 'stopped by a test', redriveStatus: 'REDRIVABLE' });
    const h = await client.send(new GetExecutionHistoryCommand({ executionArn: r.executionArn }));
    expect(h.events!.map((e) => [e.type, e.previousEventId])).toEqual([
      ['ExecutionStarted', 0],
      ['WaitStateEntered', 0],
      ['ExecutionAborted', 0],
    ]);
    expect(h.events![2].executionAbortedEventDetails).toEqual({ error: 'Operator', cause: 'stopped by a test' });

    const rd = await client.send(new RedriveExecutionCommand({ executionArn: r.executionArn }));
    expect(rd.redriveDate).toBeInstanceOf(Date);
    const done = await finished(client, r.executionArn!);
    expect(done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    expect(done.redriveDate).toBeInstanceOf(Date);
    const types = (await client.send(new GetExecutionHistoryCommand({ executionArn: r.executionArn }))).events!.map((e) => e.type);
    expect(types).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionAborted', 'ExecutionRedriven', 'WaitStateEntered', 'WaitStateExited', 'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded']);
    const not = await rejection(client.send(new RedriveExecutionCommand({ executionArn: r.executionArn })));
    expect(not).toMatchObject({ name: 'ExecutionNotRedrivable', message: `Execution with ARN ${r.executionArn} cannot be redriven because it is SUCCEEDED.` });
  });

  test('DescribeStateMachineForExecution returns the definition the execution runs, not an update', async () => {
    const sm = await create(client, waitMachine(30));
    const r = await client.send(new StartExecutionCommand({ stateMachineArn: sm }));
    await client.send(new UpdateStateMachineCommand({ stateMachineArn: sm, definition: passMachine('new') }));
    const d = await client.send(new DescribeStateMachineForExecutionCommand({ executionArn: r.executionArn }));
    expect(d).toMatchObject({ stateMachineArn: sm, definition: waitMachine(30), roleArn: ROLE });
    await client.send(new StopExecutionCommand({ executionArn: r.executionArn }));
  });

  test('Express: StartSyncExecution answers the result; Describe and List refuse express executions', async () => {
    const sm = await create(client, JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'doubled.$': 'States.MathAdd($.n, $.n)' }, End: true } } }), 'EXPRESS');
    const r = await client.send(new StartSyncExecutionCommand({ stateMachineArn: sm, name: 'sync1', input: '{"n":21}' }));
    expect(r).toMatchObject({ status: 'SUCCEEDED', name: 'sync1', stateMachineArn: sm, input: '{"n":21}', output: '{"doubled":42}', inputDetails: { included: true }, outputDetails: { included: true } });
    expect(r.executionArn).toMatch(new RegExp(`^arn:aws:states:us-east-1:${ACCOUNT}:express:${sm.split(':').pop()}:sync1:[0-9a-f-]{36}$`));
    expect(r.billingDetails?.billedDurationInMilliseconds).toBeGreaterThanOrEqual(100);
    const failing = await create(client, JSON.stringify({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Nope', Cause: 'because' } } }), 'EXPRESS');
    expect(await client.send(new StartSyncExecutionCommand({ stateMachineArn: failing }))).toMatchObject({ status: 'FAILED', error: 'Nope', cause: 'because' });
    expect(await rejection(client.send(new DescribeExecutionCommand({ executionArn: r.executionArn })))).toMatchObject({ name: 'InvalidArn', message: "Invalid Arn: 'Resource type not valid in this context: express'" });
    expect(await rejection(client.send(new ListExecutionsCommand({ stateMachineArn: sm })))).toMatchObject({ name: 'StateMachineTypeNotSupported', message: 'This operation is not supported by this type of state machine' });
    const standard = await create(client, passMachine(1));
    expect(await rejection(client.send(new StartSyncExecutionCommand({ stateMachineArn: standard })))).toMatchObject({ name: 'StateMachineTypeNotSupported' });
  });

  test('task tokens: a string that is not a token is InvalidToken, a token of no execution TaskDoesNotExist', async () => {
    expect(await rejection(client.send(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' })))).toEqual({ name: 'InvalidToken', message: "Invalid Token: 'Invalid token'", status: 400 });
    const forged = `AQ${Buffer.from(JSON.stringify({ a: `arn:aws:states:us-east-1:${ACCOUNT}:execution:x:y`, n: 'abc' })).toString('base64url')}`;
    expect(await rejection(client.send(new SendTaskFailureCommand({ taskToken: forged, error: 'E' })))).toMatchObject({ name: 'TaskDoesNotExist' });
    expect(await rejection(client.send(new SendTaskHeartbeatCommand({ taskToken: forged })))).toMatchObject({ name: 'TaskDoesNotExist' });
  });
});

describe('persistence and retention', () => {
  test('state machines and executions survive a restart; closed executions beyond the limit are dropped, oldest first', async () => {
    const first = await startSfn({ maxClosedExecutions: 3 });
    const sm = await create(first.client, passMachine({ kept: true }), 'STANDARD', 'retained');
    const arns: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await first.client.send(new StartExecutionCommand({ stateMachineArn: sm, name: `r${i}` }));
      await finished(first.client, r.executionArn!);
      arns.push(r.executionArn!);
    }
    await first.close({ keepData: true });
    const second = await startSfn({ dataDir: first.dataDir, maxClosedExecutions: 3 });
    try {
      expect((await second.client.send(new DescribeStateMachineCommand({ stateMachineArn: sm }))).name).toBe('retained');
      // the clean-up runs in the background after start-up
      const names = await eventually(async () => {
        const l = await second.client.send(new ListExecutionsCommand({ stateMachineArn: sm }));
        return l.executions!.length === 3 ? l.executions!.map((e) => e.name) : undefined;
      });
      expect(names).toEqual(['r4', 'r3', 'r2']);
      expect((await rejection(second.client.send(new DescribeExecutionCommand({ executionArn: arns[0] })))).name).toBe('ExecutionDoesNotExist');
      const kept = await second.client.send(new DescribeExecutionCommand({ executionArn: arns[4] }));
      expect(kept).toMatchObject({ status: 'SUCCEEDED', output: '{"kept":true}' });
    } finally {
      await second.close();
    }
  });

  test('closed executions are dropped after 90 days', async () => {
    const clock = skippingClock();
    const first = await startSfn({ clock });
    const sm = await create(first.client, passMachine(1));
    const r = await first.client.send(new StartExecutionCommand({ stateMachineArn: sm, name: 'old' }));
    await finished(first.client, r.executionArn!);
    await first.close({ keepData: true });
    clock.advance(91 * 24 * 3600 * 1000);
    const second = await startSfn({ dataDir: first.dataDir, clock });
    try {
      await eventually(async () => ((await second.client.send(new ListExecutionsCommand({ stateMachineArn: sm }))).executions!.length === 0 ? true : undefined));
      expect((await rejection(second.client.send(new DescribeExecutionCommand({ executionArn: r.executionArn })))).name).toBe('ExecutionDoesNotExist');
    } finally {
      await second.close();
    }
  });
});

describe('deploy-time interface', () => {
  test('deployStateMachine creates, is idempotent, updates; running executions keep their definition; substitutions', async () => {
    const s = await startSfn();
    try {
      const { applyDefinitionSubstitutions } = await import('../../../../local/stepfunctions');
      const text = applyDefinitionSubstitutions('{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":${Pause},"Next":"R"},"R":{"Type":"Pass","Result":"${Version}","End":true}}}', { Pause: 1, Version: 'v1', Unused: 'x' });
      expect(JSON.parse(text).States.R.Result).toBe('v1');
      const a = s.sfn.deployStateMachine({ name: 'saga', definition: text, roleArn: ROLE, type: 'STANDARD' });
      expect(a).toEqual({ stateMachineArn: `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:saga`, created: true, updated: false });
      expect(s.sfn.deployStateMachine({ name: 'saga', definition: text, roleArn: ROLE, type: 'STANDARD' })).toEqual({ stateMachineArn: a.stateMachineArn, created: false, updated: false });
      const running = await s.client.send(new StartExecutionCommand({ stateMachineArn: a.stateMachineArn }));
      const v2 = text.replace('"v1"', '"v2"');
      expect(s.sfn.deployStateMachine({ name: 'saga', definition: v2, roleArn: ROLE, type: 'STANDARD' })).toEqual({ stateMachineArn: a.stateMachineArn, created: false, updated: true });
      const fresh = await s.client.send(new StartExecutionCommand({ stateMachineArn: a.stateMachineArn }));
      expect((await finished(s.client, running.executionArn!)).output).toBe('"v1"');
      expect((await finished(s.client, fresh.executionArn!)).output).toBe('"v2"');
      expect(() => s.sfn.deployStateMachine({ name: 'broken', definition: '{"StartAt":"X","States":{}}', roleArn: ROLE })).toThrow("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Value cannot be empty at /States, MISSING_TRANSITION_TARGET: Missing 'Next' target: X at /StartAt'");
    } finally {
      await s.close();
    }
  });
});
