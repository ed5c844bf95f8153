// The interpreter on pure states (no service calls): AWS's history for Parallel, Map, Retry, Catch, Fail,
// and resuming from a journal cut at every possible point (what a kill -9 leaves), with no state run twice.
import type { Definition } from '../../../../local/stepfunctions/asl/types';
import { skippingClock } from '../../../../local/stepfunctions/clock';
import { ExecutionRunner, type Journal } from '../../../../local/stepfunctions/runtime/execution';
import type { JournalLine, StoredEvent } from '../../../../local/stepfunctions/runtime/history';

class ArrayJournal implements Journal {
  lines: JournalLine[] = [];
  append(l: JournalLine): void {
    this.lines.push(JSON.parse(JSON.stringify(l)));
  }
  close(): void {}
}

function runner(def: Definition, input: unknown, journal: Journal = new ArrayJournal(), prior?: JournalLine[]) {
  return new ExecutionRunner(
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
      traceHeader: 'Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=1',
    },
    def,
    journal,
    prior,
  );
}

const types = (events: StoredEvent[]) => events.map((e) => e.type);

describe('history of pure state machines', () => {
  test('Parallel: Started, the branches, Succeeded, Exited; the result is the list of branch outputs', async () => {
    const r = runner(
      {
        StartAt: 'Par',
        States: {
          Par: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'A', States: { A: { Type: 'Pass', Result: 'a', End: true } } },
              { StartAt: 'B', States: { B: { Type: 'Pass', Parameters: { 'got.$': '$.x' }, End: true } } },
            ],
            ResultPath: '$.out',
            End: true,
          },
        },
      },
      { x: 1 },
    );
    const o = await r.run();
    expect(o).toMatchObject({ status: 'SUCCEEDED', output: { x: 1, out: ['a', { got: 1 }] } });
    expect(types(r.events).sort()).toEqual(
      ['ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted', 'PassStateEntered', 'PassStateExited', 'PassStateEntered', 'PassStateExited', 'ParallelStateSucceeded', 'ParallelStateExited', 'ExecutionSucceeded'].sort(),
    );
    const started = r.events.find((e) => e.type === 'ParallelStateStarted')!;
    const firstInBranches = r.events.filter((e) => e.type === 'PassStateEntered');
    expect(firstInBranches.map((e) => e.previousEventId)).toEqual([started.id, started.id]);
  });

  test('Map: MapStateStarted {length}, one iteration per item with ItemSelector and $$.Map.Item', async () => {
    const r = runner(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemsPath: '$.items',
            MaxConcurrency: 1,
            ItemSelector: { 'i.$': '$$.Map.Item.Index', 'v.$': '$$.Map.Item.Value', 'tag.$': '$.tag' },
            ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Double', States: { Double: { Type: 'Pass', Parameters: { 'r.$': 'States.MathAdd($.v, $.v)', 'i.$': '$.i', 't.$': '$.tag' }, End: true } } },
            End: true,
          },
        },
      },
      { items: [1, 2, 3], tag: 'T' },
    );
    const o = await r.run();
    expect(o).toMatchObject({ status: 'SUCCEEDED', output: [{ r: 2, i: 0, t: 'T' }, { r: 4, i: 1, t: 'T' }, { r: 6, i: 2, t: 'T' }] });
    expect(r.events.find((e) => e.type === 'MapStateStarted')!.mapStateStartedEventDetails).toEqual({ length: 3 });
    expect(types(r.events)).toEqual([
      'ExecutionStarted', 'MapStateEntered', 'MapStateStarted',
      'MapIterationStarted', 'PassStateEntered', 'PassStateExited', 'MapIterationSucceeded',
      'MapIterationStarted', 'PassStateEntered', 'PassStateExited', 'MapIterationSucceeded',
      'MapIterationStarted', 'PassStateEntered', 'PassStateExited', 'MapIterationSucceeded',
      'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded',
    ]);
    expect(r.events.filter((e) => e.type === 'MapIterationStarted').map((e) => e.mapIterationStartedEventDetails)).toEqual([
      { index: 0, name: 'M' },
      { index: 1, name: 'M' },
      { index: 2, name: 'M' },
    ]);
  });

  test('Retry then Catch on a failing Parallel: each attempt re-runs the branches, the catcher gets {Error, Cause}', async () => {
    const r = runner(
      {
        StartAt: 'Par',
        States: {
          Par: {
            Type: 'Parallel',
            Branches: [{ StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Boom', Cause: 'it broke' } } }],
            Retry: [{ ErrorEquals: ['Other'], MaxAttempts: 5 }, { ErrorEquals: ['Boom'], IntervalSeconds: 2, MaxAttempts: 2, BackoffRate: 3 }],
            Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.err', Next: 'Handled' }],
            End: true,
          },
          Handled: { Type: 'Pass', End: true },
        },
      },
      { k: 1 },
    );
    const o = await r.run();
    expect(o).toMatchObject({ status: 'SUCCEEDED', output: { k: 1, err: { Error: 'Boom', Cause: 'it broke' } } });
    expect(types(r.events)).toEqual([
      'ExecutionStarted', 'ParallelStateEntered',
      'ParallelStateStarted', 'FailStateEntered', 'ParallelStateFailed',
      'ParallelStateStarted', 'FailStateEntered', 'ParallelStateFailed',
      'ParallelStateStarted', 'FailStateEntered', 'ParallelStateFailed',
      'ParallelStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded',
    ]);
    // intervals 2 s then 6 s, on the skipping clock
    const started = r.events.filter((e) => e.type === 'ParallelStateStarted').map((e) => e.timestamp);
    expect(started[1] - started[0]).toBeGreaterThanOrEqual(2000);
    expect(started[2] - started[1]).toBeGreaterThanOrEqual(6000);
  });

  test('an uncaught failure ends the execution with the error; States.Runtime ignores Catch', async () => {
    const fail = runner({ StartAt: 'F', States: { F: { Type: 'Fail' } } }, {});
    expect(await fail.run()).toMatchObject({ status: 'FAILED', error: null, cause: null });
    expect(fail.events[fail.events.length - 1]).toMatchObject({ type: 'ExecutionFailed', executionFailedEventDetails: {} });
    const rt = runner(
      {
        StartAt: 'Par',
        States: {
          Par: { Type: 'Parallel', Branches: [{ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }], OutputPath: '$.no.such', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'C' }], End: true },
          C: { Type: 'Succeed' },
        },
      },
      {},
    );
    const o = await rt.run();
    expect(o).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: "An error occurred while executing the state 'Par' (entered at the event id #2). Invalid path '$.no.such' : Missing property in path $['no']",
    });
  });

  test('Wait: SecondsPath checks and the recorded wait on the skipping clock', async () => {
    const def: Definition = { StartAt: 'W', States: { W: { Type: 'Wait', SecondsPath: '$.s', End: true } } };
    const bad = runner(def, { s: 1.5 });
    expect(await bad.run()).toMatchObject({ status: 'FAILED', cause: "An error occurred while executing the state 'W' (entered at the event id #2). The SecondsPath parameter cannot be parsed as a long value: $.s == 1.5" });
    const ok = runner(def, { s: 3600 });
    await ok.run();
    const entered = ok.events.find((e) => e.type === 'WaitStateEntered')!;
    const exited = ok.events.find((e) => e.type === 'WaitStateExited')!;
    expect(exited.timestamp - entered.timestamp).toBeGreaterThanOrEqual(3_600_000);
  });
});

describe('resume after a crash at any point', () => {
  const def: Definition = {
    StartAt: 'Prep',
    States: {
      Prep: { Type: 'Pass', Parameters: { 'items.$': '$.items', 'n.$': 'States.ArrayLength($.items)' }, Next: 'Each' },
      Each: {
        Type: 'Map',
        ItemsPath: '$.items',
        MaxConcurrency: 2,
        ItemProcessor: {
          StartAt: 'Wait1',
          States: {
            Wait1: { Type: 'Wait', Seconds: 5, Next: 'Both' },
            Both: {
              Type: 'Parallel',
              Branches: [
                { StartAt: 'L', States: { L: { Type: 'Pass', Parameters: { 'l.$': '$' }, End: true } } },
                { StartAt: 'R', States: { R: { Type: 'Wait', Seconds: 1, End: true } } },
              ],
              End: true,
            },
          },
        },
        ResultPath: '$.results',
        Next: 'Check',
      },
      Check: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericEquals: 3, Next: 'Done' }], Default: 'Oops' },
      Done: { Type: 'Succeed' },
      Oops: { Type: 'Fail', Error: 'Unexpected' },
    },
  };
  const input = { items: ['a', 'b', 'c'] };

  test('every prefix of the journal resumes to the same end, entering no completed state again', async () => {
    const full = new ArrayJournal();
    const first = await runner(def, input, full).run();
    expect(first).toMatchObject({ status: 'SUCCEEDED' });
    const reference = full.lines.filter((l): l is StoredEvent => !('_retry' in l));
    const refTypes = types(reference).sort();
    for (let cut = 1; cut < full.lines.length; cut++) {
      const prior = full.lines.slice(0, cut);
      const rest = new ArrayJournal();
      const again = runner(def, input, rest, prior);
      const o = await again.run();
      expect(o).toMatchObject({ status: 'SUCCEEDED', output: (first as { output: unknown }).output });
      const all = [...(prior.filter((l) => !('_retry' in l)) as StoredEvent[]), ...(rest.lines as StoredEvent[])];
      // the same events as an uninterrupted run: nothing entered twice, nothing missing
      expect(types(all).sort()).toEqual(refTypes);
      // ids continue without gaps or repeats
      expect(all.map((e) => e.id)).toEqual(all.map((_e, i) => i + 1));
    }
  });
});
