/**
 * X-Ray sampling of new traces (local/xray/sampling.ts) and the decision points that use it:
 * a decision a trace already carries is kept, only a new root is decided by the rule.
 */
import { kafkaBatchTrace } from '../../../../local/esm/tracing';
import { continueTraceHeader } from '../../../../local/lambda/ids';
import { continueTrace } from '../../../../local/stepfunctions/trace';
import { AWS_DEFAULT_RULE, Sampler, describeSampling, parseSampling } from '../../../../local/xray/sampling';
import type { SegmentDocument } from '../../../../local/xray/segments';

const ROOT = '1-5759e988-bd862e3fe1be46a994272793';

describe('parseSampling', () => {
  it('reads all (the local default), none, AWS default rule and a reservoir/rate rule', () => {
    expect(parseSampling(undefined)).toBe('all');
    expect(parseSampling('')).toBe('all');
    expect(parseSampling('ALL')).toBe('all');
    expect(parseSampling('none')).toBe('none');
    expect(parseSampling('default')).toEqual({ reservoirPerSecond: 1, fixedRate: 0.05 });
    expect(parseSampling('10/0.1')).toEqual({ reservoirPerSecond: 10, fixedRate: 0.1 });
    expect(parseSampling('0/.5')).toEqual({ reservoirPerSecond: 0, fixedRate: 0.5 });
    expect(describeSampling(AWS_DEFAULT_RULE)).toBe('AWS default rule (1/s + 5%)');
    expect(describeSampling({ reservoirPerSecond: 10, fixedRate: 0.1 })).toBe('10/s + 10%');
  });

  it('refuses anything else, naming what it got', () => {
    for (const bad of ['sometimes', '1/2', '-1/0.5', '1/', '/0.1', '1:0.1']) {
      expect(() => parseSampling(bad)).toThrow(new RegExp(`X-Ray sampling must be .*got "${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"`));
    }
  });
});

describe('Sampler', () => {
  it('keeps the reservoir each second, then the fixed rate of the rest', () => {
    let t = 1_700_000_000_000;
    const draws = [0.01, 0.5, 0.049, 0.05];
    const s = new Sampler(AWS_DEFAULT_RULE, () => t, () => draws.shift() ?? 0.99);
    expect(s.sample()).toBe(true); // the second's reservoir
    expect([s.sample(), s.sample(), s.sample(), s.sample()]).toEqual([true, false, true, false]); // 5%: below 0.05 only
    t += 999; // same second (it started at .000): the reservoir is spent
    expect(s.sample()).toBe(false);
    t += 1; // the next second: a new reservoir
    expect(s.sample()).toBe(true);
    expect(s.sample()).toBe(false);
  });

  it('counts a larger reservoir, and keeps every trace with all and none with none', () => {
    const t = 1_700_000_000_500;
    const s = new Sampler({ reservoirPerSecond: 3, fixedRate: 0 }, () => t, () => 0);
    expect(Array.from({ length: 5 }, () => s.sample())).toEqual([true, true, true, false, false]);
    expect(Array.from({ length: 50 }, () => new Sampler('all').sample()).every(Boolean)).toBe(true);
    expect(Array.from({ length: 50 }, () => new Sampler('none').sample()).some(Boolean)).toBe(false);
  });
});

describe('decision points', () => {
  const never = () => false;
  const always = () => true;

  it('API Gateway (continueTraceHeader): decides a new trace, keeps a caller\'s decision', () => {
    expect(continueTraceHeader(undefined, never)).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    expect(continueTraceHeader(undefined, always)).toMatch(/;Sampled=1$/);
    expect(continueTraceHeader(`Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`, never)).toMatch(new RegExp(`^Root=${ROOT};Parent=[0-9a-f]{16};Sampled=1$`));
    expect(continueTraceHeader(`Root=${ROOT};Sampled=0`, always)).toMatch(/;Sampled=0$/);
    // a Root without a decision is decided here
    expect(continueTraceHeader(`Root=${ROOT}`, never)).toMatch(new RegExp(`^Root=${ROOT};.*Sampled=0$`));
  });

  it('Step Functions (continueTrace): the same, for StartExecution', () => {
    expect(continueTrace(undefined, never)).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Sampled=0$/);
    expect(continueTrace(`Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`, never)).toBe(`Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`);
    expect(continueTrace(`Root=${ROOT};Parent=53995c3f42cd8ad8`, never)).toBe(`Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=0`);
    expect(continueTrace(undefined)).toMatch(/;Sampled=1$/); // no sampler: every trace kept
  });

  it('a Kafka batch continues a sampled producer trace whatever the rule, and is decided when it has none', () => {
    const put: SegmentDocument[] = [];
    const sink = { put: (d: SegmentDocument) => void put.push(d), sample: never };
    const record = (trace?: string) => ({
      topic: 'order-events',
      partition: 0,
      offset: 7,
      timestamp: 0,
      timestampType: 'CREATE_TIME',
      key: null,
      value: '',
      headers: trace ? [{ 'x-amzn-trace-id': Array.from(Buffer.from(trace)) }] : [],
    });
    const event = (trace?: string) => ({ eventSource: 'aws:kafka', eventSourceArn: 'arn:aws:kafka:us-east-1:000000000000:cluster/c/1', records: { 'order-events-0': [record(trace)] } });

    const out = kafkaBatchTrace('consumer', undefined, event() as never, sink);
    expect(out.header).toMatch(/;Sampled=0$/);
    out.end();
    expect(put).toEqual([]);

    const carried = kafkaBatchTrace('consumer', undefined, event(`Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`) as never, sink);
    expect(carried.header).toMatch(new RegExp(`^Root=${ROOT};Parent=[0-9a-f]{16};Sampled=1$`));
    carried.end();
    expect(put.map((d) => [d.trace_id, d.parent_id])).toEqual([[ROOT, '53995c3f42cd8ad8']]);
  });
});
