// The local Lambda runtime scales a burst up at a bounded rate: no more than maxConcurrentColdStarts environments
// start at once; the invocations that would have started more wait for the first environment that becomes free,
// and every one of them runs (none throttled).
import { LambdaRuntime, type InvokeResult } from '../../../../local/lambda';
import { fixtureFunction } from '../../../support/functions';

async function burst(maxConcurrentColdStarts: number | undefined) {
  let runtime: LambdaRuntime | undefined;
  let maxStarting = 0;
  let coldStarts = 0;
  runtime = new LambdaRuntime({
    defaultConcurrency: 10,
    queueOverLocalLimit: true,
    maxConcurrentColdStarts,
    log: (m) => {
      if (!m.endsWith('cold start')) return;
      coldStarts++;
      // logged as an environment begins to start, its count already raised: the peak is seen here
      maxStarting = Math.max(maxStarting, runtime!.environments('burst').starting);
    },
  });
  runtime.register(fixtureFunction('burst', 'runtime.sleep'));
  try {
    const results: InvokeResult[] = await Promise.all(Array.from({ length: 12 }, () => runtime!.invoke('burst', { ms: 150 })));
    return { statuses: results.map((r) => r.status), maxStarting, coldStarts };
  } finally {
    await runtime.close();
    runtime = undefined;
  }
}

test('with a bound of 2, a burst of 12 starts at most 2 environments at once and runs every invocation', async () => {
  const r = await burst(2);
  expect(r.statuses).toEqual(Array(12).fill('ok'));
  expect(r.maxStarting).toBe(2);
  expect(r.coldStarts).toBeGreaterThanOrEqual(2);
  expect(r.coldStarts).toBeLessThanOrEqual(10);
});

test('without a bound, the same burst starts one environment per request up to the concurrency cap, all at once', async () => {
  const r = await burst(undefined);
  expect(r.statuses).toEqual(Array(12).fill('ok'));
  expect(r.maxStarting).toBe(10);
  expect(r.coldStarts).toBe(10);
});
