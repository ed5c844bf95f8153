/**
 * The AWS-recorded Step Functions conformance cases (../shared/conformance/sfn, or SFN_CONFORMANCE_DIR)
 * through the local Step Functions API, and the same cases in-process on aws-local-stepfunctions, with
 * the pass counts by category and every failing case. `npm run conformance:sfn` (library too with
 * SFN_CONFORMANCE_LIBRARY=1).
 */
import { skippingClock } from '../local/stepfunctions';
import { compare, loadCases, runCases, type ConformanceCase } from '../test/integration/local/stepfunctions/conformance-harness';
import { startSfn } from '../test/integration/local/stepfunctions/helpers';
import type { BenchOptions } from './run';
import { loadLibrary } from './stepfunctions-library';

function byCategory(rows: Array<{ category: string; pass: boolean }>) {
  const out: Record<string, { cases: number; pass: number }> = {};
  for (const r of rows) {
    const c = (out[r.category] ??= { cases: 0, pass: 0 });
    c.cases++;
    if (r.pass) c.pass++;
  }
  return out;
}

async function libraryRun(cases: ConformanceCase[]) {
  const lib = await loadLibrary();
  const rows: Array<{ name: string; category: string; pass: boolean }> = [];
  for (const c of cases) {
    const got = await lib.runCase(c.definition, c.input === undefined ? {} : typeof c.input === 'string' ? JSON.parse(c.input) : c.input);
    rows.push({ name: c.name, category: c.category, pass: compare(c, got).pass });
  }
  return rows;
}

export default async function conformance(_opts: BenchOptions) {
  const cases = loadCases();
  const sfn = await startSfn({ clock: skippingClock() });
  const t0 = Date.now();
  let results;
  try {
    results = await runCases(sfn.client, cases, { concurrency: 8 });
  } finally {
    await sfn.close();
  }
  const apiMs = Date.now() - t0;
  // aws-local-stepfunctions builds and validates a StateMachine in about 250 ms: 2.5 min for the cases, so opt-in
  const lib = process.env.SFN_CONFORMANCE_LIBRARY === '1' ? await libraryRun(cases) : null;
  return {
    cases: cases.length,
    localStepFunctions: {
      passed: results.filter((r) => r.pass).length,
      wallMs: apiMs,
      byCategory: byCategory(results),
      failures: results.filter((r) => !r.pass).map((r) => ({ name: r.name, placeholder: r.placeholder, got: r.got })),
    },
    awsLocalStepfunctions: lib ? { passed: lib.filter((r) => r.pass).length, byCategory: byCategory(lib) } : 'not run (SFN_CONFORMANCE_LIBRARY=1 runs it)',
  };
}
