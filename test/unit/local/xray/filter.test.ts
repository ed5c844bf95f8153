import { compileFilter, FilterSyntaxError } from '../../../../local/xray/filter';
import { summarize } from '../../../../local/xray/summary';
import type { SegmentDocument } from '../../../../local/xray/segments';

const T = '1-5759e988-bd862e3fe1be46a994272793';
const docs: SegmentDocument[] = [
  {
    name: 'shop/prod',
    id: '1111111111111111',
    trace_id: T,
    start_time: 100,
    end_time: 102.5,
    origin: 'AWS::ApiGateway::Stage',
    http: { request: { method: 'POST', url: 'http://local/prod/orders', user_agent: 'curl/8' }, response: { status: 502 } },
    subsegments: [{ name: 'Lambda', id: '2222222222222222', start_time: 100, end_time: 102, namespace: 'aws' }],
  },
  {
    name: 'orders-create',
    id: '3333333333333333',
    trace_id: T,
    parent_id: '2222222222222222',
    start_time: 100.5,
    end_time: 103,
    origin: 'AWS::Lambda::Function',
    fault: true,
    user: 'alice',
    annotations: { order_id: 'o-1', attempts: 3, saga: true },
  },
];
const facts = summarize(T, docs, '000000000000');
const matches = (expr: string) => compileFilter(expr)(facts);

describe('X-Ray filter expressions', () => {
  it.each([
    ['service("orders-create")', true],
    ['service("DynamoDB")', false],
    ['service("Lambda")', true],
    ['id(name: "orders-create", type: "AWS::Lambda::Function")', true],
    ['id(name: "orders-create", type: "AWS::Lambda")', false],
    ['annotation.order_id = "o-1"', true],
    ['annotation.order_id = "o-2"', false],
    ['annotation.order_id BEGINSWITH "o-"', true],
    ['annotation[order_id] CONTAINS "-1"', true],
    ['annotation.attempts >= 3', true],
    ['annotation.attempts > 3', false],
    ['annotation.saga = true', true],
    ['annotation.order_id != "o-1"', false],
    ['annotation.missing', false],
    ['responsetime > 2', true],
    ['responsetime > 2.5', false],
    ['duration = 3', true],
    ['fault', true],
    ['error', false],
    ['!error', true],
    ['ok', false],
    ['fault = false', false],
    ['http.status = 502', true],
    ['http.url CONTAINS "/orders"', true],
    ['http.method = "GET"', false],
    ['user = "alice"', true],
    ['service("orders-create") AND (error OR fault) AND NOT throttle', true],
    ['service("nope") || annotation.order_id = "o-1"', true],
    ['service("nope") && annotation.order_id = "o-1"', false],
  ])('%s -> %s', (expr, expected) => {
    expect(matches(expr)).toBe(expected);
  });

  it.each(['service(', 'annotation.x =', 'responsetime > "slow"', 'edge("a", "b")', 'fault AND', 'service("a") { fault }'])('refuses %s', (expr) => {
    expect(() => compileFilter(expr)).toThrow(FilterSyntaxError);
  });

  it('summarizes the trace as GetTraceSummaries reports it', () => {
    expect({ start: facts.start, duration: facts.duration, responseTime: facts.responseTime, entry: facts.entryPoint?.Name, fault: facts.fault, http: facts.http }).toEqual({
      start: 100,
      duration: 3,
      responseTime: 2.5,
      entry: 'shop/prod',
      fault: true,
      http: { HttpURL: 'http://local/prod/orders', HttpStatus: 502, HttpMethod: 'POST', UserAgent: 'curl/8', ClientIp: undefined },
    });
  });
});
