// The AWS-recorded conformance cases (../shared/conformance/sfn) through the API, all of them (about 10 s).
// The pass count can only go up: it is asserted against the committed baseline, and every failing case
// must be one of the listed placeholder artefacts (values the snapshot tool replaced; see the README).
import { skippingClock } from '../../../../local/stepfunctions';
import baseline from './conformance-baseline.json';
import { loadCases, runCases } from './conformance-harness';
import { startSfn, type RunningSfn } from './helpers';

describe('AWS-recorded conformance cases through the API', () => {
  let sfn: RunningSfn;
  beforeAll(async () => {
    sfn = await startSfn({ clock: skippingClock() });
  });
  afterAll(async () => {
    await sfn.close();
  });

  test('pass count is at least the baseline and every failure is a listed placeholder artefact', async () => {
    const cases = loadCases();
    expect(cases.length).toBe(baseline.total);
    const results = await runCases(sfn.client, cases, { concurrency: 8 });
    const passed = results.filter((r) => r.pass).length;
    const unexpected = results.filter((r) => !r.pass && !(r.name in baseline.artefacts)).map((r) => `${r.name}: ${JSON.stringify(r.got).slice(0, 300)}`);
    expect(unexpected).toEqual([]);
    expect(passed).toBeGreaterThanOrEqual(baseline.passed);
  });
});
