// JSONata states and workflow variables (Assign), on pure states. No AWS-recorded JSONata case is in the
// conformance set; expectations follow the AWS documentation and LocalStack's AWS-recorded snapshots
// (outputdecl, assign, querylanguage), re-expressed here.
import { definitionProblem, validateDefinition } from '../../../../local/stepfunctions/asl/validate';
import type { Definition } from '../../../../local/stepfunctions/asl/types';
import { skippingClock } from '../../../../local/stepfunctions/clock';
import { ExecutionRunner } from '../../../../local/stepfunctions/runtime/execution';

async function run(def: Definition, input: unknown) {
  const r = new ExecutionRunner(
    { clock: skippingClock(Date.UTC(2026, 0, 1)), region: 'us-east-1', accountId: '000000000000', integrations: { resolve: () => null }, tokens: { issue: () => 't', wait: async () => null } },
    {
      executionArn: 'arn:aws:states:us-east-1:000000000000:execution:sm:e1',
      name: 'e1',
      stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:sm',
      stateMachineName: 'sm',
      roleArn: 'arn:aws:iam::000000000000:role/r',
      type: 'STANDARD',
      input,
      startDate: Date.UTC(2026, 0, 1),
      redriveCount: 0,
      traceHeader: '',
    },
    def,
    { append() {}, close() {} },
  );
  const outcome = await r.run();
  return { outcome, events: r.events };
}

describe('JSONata', () => {
  test('Output with $states.input, $states.context and variables assigned by a JSONPath state', async () => {
    const { outcome } = await run(
      {
        StartAt: 'Init',
        States: {
          Init: { Type: 'Pass', Assign: { 'v.$': '$.value', one: 1 }, Next: 'S' },
          S: {
            QueryLanguage: 'JSONata',
            Type: 'Pass',
            Output: { input: '{% $states.input.value %}', name: '{% $states.context.Execution.Name %}', v: '{% $v %}', sum: '{% $sum($states.input.values) + $one %}', literal: 'as is' },
            End: true,
          },
        },
      },
      { value: 'x', values: [1, 2, 3] },
    );
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: { input: 'x', name: 'e1', v: 'x', sum: 7, literal: 'as is' } });
  });

  test('Assign and Output see the variables of before the state; the next state sees the new values', async () => {
    const { outcome, events } = await run(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Assign: { n: 1 }, Next: 'B' },
          B: { Type: 'Pass', Assign: { n: '{% $n + 1 %}', before: '{% $n %}' }, Output: { seen: '{% $n %}' }, Next: 'C' },
          C: { Type: 'Pass', Output: '{% { "n": $n, "before": $before, "prev": $states.input.seen } %}', End: true },
        },
      },
      {},
    );
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: { n: 2, before: 1, prev: 1 } });
    expect(events.find((e) => e.type === 'PassStateExited' && (e.stateExitedEventDetails as { name: string }).name === 'B')!.stateExitedEventDetails).toEqual({
      name: 'B',
      output: '{"seen":1}',
      outputDetails: { truncated: false },
      assignedVariables: { n: '2', before: '1' },
      assignedVariablesDetails: { truncated: false },
    });
  });

  test('Choice Condition, Wait Seconds expression, Fail Error and Cause expressions', async () => {
    const def: Definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.n > 10 %}', Next: 'Big', Assign: { size: 'big' } }], Default: 'Small', Assign: { size: 'small' } },
        Big: { Type: 'Wait', Seconds: '{% $states.input.n %}', Output: '{% { "size": $size } %}', End: true },
        Small: { Type: 'Fail', Error: '{% "Too" & "Small" %}', Cause: '{% "n=" & $string($states.input.n) & " " & $size %}' },
      },
    };
    const big = await run(def, { n: 30 });
    expect(big.outcome).toMatchObject({ status: 'SUCCEEDED', output: { size: 'big' } });
    const entered = big.events.find((e) => e.type === 'WaitStateEntered')!;
    const exited = big.events.find((e) => e.type === 'WaitStateExited')!;
    expect(exited.timestamp - entered.timestamp).toBeGreaterThanOrEqual(30_000);
    const small = await run(def, { n: 3 });
    expect(small.outcome).toMatchObject({ status: 'FAILED', error: 'TooSmall', cause: 'n=3 small' });
  });

  test('Map Items and ItemSelector with $states.context.Map.Item; iterations read outer variables and keep their own', async () => {
    const { outcome } = await run(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'Init',
        States: {
          Init: { Type: 'Pass', Assign: { factor: 10 }, Next: 'M' },
          M: {
            Type: 'Map',
            Items: '{% $states.input.list[$ > 1] %}',
            ItemSelector: { v: '{% $states.context.Map.Item.Value %}', i: '{% $states.context.Map.Item.Index %}' },
            ItemProcessor: {
              StartAt: 'Mul',
              States: {
                Mul: { Type: 'Pass', Assign: { factor: 0 }, Output: '{% $states.input.v * $factor + $states.input.i %}', Next: 'Echo' },
                Echo: { Type: 'Pass', Output: '{% [$states.input, $factor] %}', End: true },
              },
            },
            Output: '{% { "results": $states.result, "factor": $factor } %}',
            End: true,
          },
        },
      },
      { list: [1, 2, 3] },
    );
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: { results: [[20, 0], [31, 0]], factor: 10 } });
  });

  test('Catch Output and Assign with $states.errorOutput', async () => {
    const { outcome } = await run(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            Branches: [{ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Nope', Cause: 'no stock' } } }],
            Catch: [{ ErrorEquals: ['Nope'], Assign: { why: '{% $states.errorOutput.Cause %}' }, Output: '{% { "caught": $states.errorOutput.Error, "input": $states.input } %}', Next: 'After' }],
            End: true,
          },
          After: { Type: 'Pass', Output: '{% $merge([$states.input, { "why": $why }]) %}', End: true },
        },
      },
      { order: 7 },
    );
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: { caught: 'Nope', input: { order: 7 }, why: 'no stock' } });
  });

  test('an expression that returns nothing is States.QueryEvaluationError, worded as AWS words it, and catchable', async () => {
    const failing = await run({ QueryLanguage: 'JSONata', StartAt: 'S', States: { S: { Type: 'Pass', Output: { result: '{% $doesNotExist %}' }, End: true } } }, {});
    expect(failing.outcome).toMatchObject({
      status: 'FAILED',
      error: 'States.QueryEvaluationError',
      cause: "An error occurred while executing the state 'S' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined).",
    });
    const items = await run({ QueryLanguage: 'JSONata', StartAt: 'M', States: { M: { Type: 'Map', Items: '{% 1 %}', ItemProcessor: { StartAt: 'X', States: { X: { Type: 'Succeed' } } }, End: true } } }, {});
    expect(items.outcome).toMatchObject({
      error: 'States.QueryEvaluationError',
      cause: "An error occurred while executing the state 'M' (entered at the event id #2). The JSONata expression '1' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'number' for value: 1",
    });
    const caught = await run(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'P',
        States: {
          P: { Type: 'Parallel', Branches: [{ StartAt: 'S', States: { S: { Type: 'Pass', Output: '{% $nope %}', End: true } } }], Catch: [{ ErrorEquals: ['States.QueryEvaluationError'], Next: 'Ok' }], End: true },
          Ok: { Type: 'Pass', Output: '{% $states.input.Error %}', End: true },
        },
      },
      {},
    );
    expect(caught.outcome).toMatchObject({ status: 'SUCCEEDED', output: 'States.QueryEvaluationError' });
  });

  test('JSONPath Assign takes paths, intrinsic functions and variable references; later states read $var in paths', async () => {
    const { outcome } = await run(
      {
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Result: { answer: 42 }, Assign: { 'theAnswer.$': '$.answer', 'doubled.$': 'States.MathAdd($.answer, $.answer)', constant: 'c' }, Next: 'B' },
          B: { Type: 'Pass', InputPath: '$theAnswer', ResultPath: '$', Parameters: { 'fromVar.$': '$doubled', 'input.$': '$', 'constant.$': '$constant' }, End: true },
        },
      },
      {},
    );
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: { fromVar: 84, input: 42, constant: 'c' } });
  });

  test('definitions: JSONata syntax errors and fields of the other language are refused', () => {
    const bad = validateDefinition(JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'S', States: { S: { Type: 'Pass', Output: '{% 1 + %}', End: true } } }));
    expect(definitionProblem(bad.diagnostics)).toBe('INVALID_JSONATA_EXPRESSION: Unexpected end of expression at /States/S/Output');
    const mixed = validateDefinition(JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'S', States: { S: { Type: 'Pass', InputPath: '$.a', End: true } } }));
    expect(definitionProblem(mixed.diagnostics)).toBe("SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for the 'JSONPath' QueryLanguage at /States/S");
    const down = validateDefinition(JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'S', States: { S: { Type: 'Pass', QueryLanguage: 'JSONPath', End: true } } }));
    expect(definitionProblem(down.diagnostics)).toBe("SCHEMA_VALIDATION_FAILED: 'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine at /States/S");
  });
});
