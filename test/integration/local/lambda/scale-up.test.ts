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

describe('at the machine-wide cap of environments, functions share it', () => {
  async function twoBursts() {
    const logs: string[] = [];
    let peak = 0;
    const alive = (name: string) => Object.values(runtime.environments(name)).reduce((a, b) => a + b, 0);
    const runtime: LambdaRuntime = new LambdaRuntime({
      defaultConcurrency: 10,
      queueOverLocalLimit: true,
      maxEnvironments: 4,
      log: (m) => {
        logs.push(m);
        if (m.endsWith('cold start')) peak = Math.max(peak, alive('first') + alive('second'));
      },
    });
    runtime.register(fixtureFunction('first', 'runtime.sleep'));
    runtime.register(fixtureFunction('second', 'runtime.sleep'));
    const ended: string[] = [];
    const run = (name: string) => runtime.invoke(name, { ms: 150 }).then((r) => (ended.push(name), r.status));
    try {
      const first = Array.from({ length: 16 }, () => run('first'));
      // the second function's burst comes once the first holds every environment
      await new Promise((r) => setTimeout(r, 50));
      const second = Array.from({ length: 4 }, () => run('second'));
      const statuses = await Promise.all([...first, ...second]);
      const cold = (name: string) => logs.filter((m) => m === `lambda ${name}: cold start`).length;
      return { statuses, ended, peak, handedOver: logs.filter((m) => /first: retiring/.test(m)).length, cold: { first: cold('first'), second: cold('second') } };
    } finally {
      await runtime.close();
    }
  }

  test('a function bursting later is not starved by one holding every environment, and neither thrashes', async () => {
    const r = await twoBursts();
    expect(r.statuses).toEqual(Array(20).fill('ok'));
    // the second function got environments as the first one's freed (its share: 2 of 4), and did
    // not wait for the first one's whole queue (16 invocations on 4 environments)
    expect(r.ended.lastIndexOf('second')).toBeLessThan(r.ended.lastIndexOf('first'));
    // two of the first function's environments handed over (its share is 2 of 4 while both are
    // busy), and taken back once the second is done: never more than 4 alive
    expect(r.handedOver).toBe(2);
    expect(r.cold.second).toBe(2);
    expect(r.peak).toBeLessThanOrEqual(4);
  });
});

test('functions taking turns under the cap keep their environments: the shares hold between turns, nothing is recycled', async () => {
  // Two functions called in alternating bursts, each busy while the other is idle for a moment.
  // Shares counted at the instant gave each burst the whole cap, recycling the other's idle
  // environments, which its next burst started again: a cold start per environment per turn.
  const runtime = new LambdaRuntime({ defaultConcurrency: 10, queueOverLocalLimit: true, maxEnvironments: 4 });
  runtime.register(fixtureFunction('ping', 'runtime.sleep'));
  runtime.register(fixtureFunction('pong', 'runtime.sleep'));
  try {
    for (let turn = 0; turn < 6; turn++) {
      const name = turn % 2 ? 'pong' : 'ping';
      const results = await Promise.all(Array.from({ length: 8 }, () => runtime.invoke(name, { ms: 60 })));
      expect(results.map((r) => r.status)).toEqual(Array(8).fill('ok'));
    }
    // ping's first turn, alone, took the whole cap (4); pong's first took its share (2) from ping's
    // idle ones; after that each turn ran on the environments its function had
    expect(runtime.coldStarts()).toEqual({ ping: 4, pong: 2 });
  } finally {
    await runtime.close();
  }
});
