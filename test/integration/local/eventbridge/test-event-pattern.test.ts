/**
 * TestEventPattern over the cases of AWS's pattern documentation (the fixture the unit tests use
 * too), and its refusals: invalid patterns with AWS's messages, events missing mandatory fields.
 */
import { TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import cases from '../../../fixtures/eventbridge/event-pattern-cases.json';
import { failure, start, stop, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await start();
});
afterAll(() => stop(h));

const events = cases.events as Record<string, unknown>;

test.each(cases.cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
  const out = await h.client.send(new TestEventPatternCommand({ EventPattern: JSON.stringify(c.pattern), Event: JSON.stringify(events[c.event]) }));
  expect(out.Result).toBe(c.match);
});

test.each(cases.invalid.map((c) => [c.name, c] as const))('refused: %s', async (_name, c) => {
  const e = await failure(h.client.send(new TestEventPatternCommand({ EventPattern: c.pattern, Event: JSON.stringify(events['ec2-running']) })));
  expect(e).toEqual({ name: 'InvalidEventPatternException', message: c.message, status: 400 });
});

test('an event that is not JSON, or lacks a mandatory field, is refused', async () => {
  for (const event of ['plain string', JSON.stringify({ id: '1', source: 's', 'detail-type': 'd', account: '1', region: 'r' })]) {
    expect(await failure(h.client.send(new TestEventPatternCommand({ EventPattern: '{"source": ["s"]}', Event: event })))).toEqual({
      name: 'ValidationException',
      message: 'Parameter Event is not valid.',
      status: 400,
    });
  }
});
