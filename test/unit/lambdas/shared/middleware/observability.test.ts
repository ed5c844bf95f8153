/**
 * The Powertools list every handler wears (observability()): the end-of-invocation flush of the
 * metrics publishes what was stored, and says nothing when every metric went out as a single
 * metric (Powertools' own flush warned "No application metrics to publish" at every invocation).
 */
import middy from '@middy/core';
import { metrics, MetricUnit } from '../../../../../lambdas/shared/powertools';
import { observability } from '../../../../../lambdas/shared/middleware/observability';
import { lambdaContext } from '../../../../support/lambda';

async function output(run: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const capture = (chunk: unknown) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await run();
    return lines;
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const emf = (lines: string[]) => lines.filter((l) => l.includes('"CloudWatchMetrics"')).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('observability(): the metrics flush', () => {
  beforeAll(() => {
    process.env.POWERTOOLS_METRICS_NAMESPACE = 'UnitTest';
  });

  it('says nothing at the end of an invocation whose metrics all went out as single metrics', async () => {
    const handler = middy(async () => {
      const single = metrics.singleMetric();
      single.addDimension('outcome', 'appended');
      single.addMetric('OrderSagaSteps', MetricUnit.Count, 1);
      return 'ok';
    }).use(observability({ captureColdStartMetric: false }));
    const lines = await output(() => handler({}, lambdaContext()));
    expect(emf(lines).map((m) => m.OrderSagaSteps)).toEqual([1]);
    expect(lines.filter((l) => /No application metrics/.test(l))).toEqual([]);
    expect(lines).toHaveLength(1);
  });

  it('publishes the stored metrics with the dimensions of their invocation, and none of them in the next', async () => {
    const handler = middy(async (event: { stored: boolean }) => {
      metrics.addDimension('channel', 'email');
      if (event.stored) metrics.addMetric('NotificationsSent', MetricUnit.Count, 2);
      return 'ok';
    }).use(observability({ captureColdStartMetric: false }));
    const first = emf(await output(() => handler({ stored: true }, lambdaContext())));
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ channel: 'email', NotificationsSent: 2 });
    // an invocation that stores nothing still forgets its dimensions: the next one starts clean
    expect(await output(() => handler({ stored: false }, lambdaContext()))).toEqual([]);
    const after = middy(async () => {
      metrics.addMetric('NotificationsSent', MetricUnit.Count, 1);
      return 'ok';
    }).use(observability({ captureColdStartMetric: false }));
    const third = emf(await output(() => after({}, lambdaContext())));
    expect(third).toHaveLength(1);
    expect(third[0]).not.toHaveProperty('channel');
  });
});
