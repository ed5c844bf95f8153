import { otlpTraceId, toResourceSpans } from '../../../../local/xray/otlp/mapping';
import { tracesUrl } from '../../../../local/xray/otlp/exporter';

describe('X-Ray documents as OTLP spans', () => {
  it('maps ids, kinds, times, HTTP, aws fields, annotations, metadata and links as the collector receiver does', () => {
    const rs = toResourceSpans({
      name: 'orders-create',
      id: '1111111111111111',
      trace_id: '1-5759e988-bd862e3fe1be46a994272793',
      parent_id: '9999999999999999',
      start_time: 1700000000.123456,
      end_time: 1700000000.5,
      origin: 'AWS::Lambda::Function',
      annotations: { order_id: 'o-1', attempts: 2, saga: true, ratio: 0.5 },
      metadata: { default: { k: 'v' } },
      links: [{ trace_id: '1-00000001-000000000000000000000001', id: '2222222222222222' }],
      subsegments: [
        { name: 'DynamoDB', id: '3333333333333333', start_time: 1700000000.2, end_time: 1700000000.3, namespace: 'aws', aws: { operation: 'PutItem', table_name: 'orders' }, http: { response: { status: 200 } } },
        { name: 'validate', id: '4444444444444444', start_time: 1700000000.2, end_time: 1700000000.25, error: true, cause: 'bad input' },
      ],
    });
    expect(otlpTraceId('1-5759e988-bd862e3fe1be46a994272793')).toBe('5759e988bd862e3fe1be46a994272793');
    expect(rs.resource.attributes).toEqual([
      { key: 'service.name', value: { stringValue: 'orders-create' } },
      { key: 'cloud.provider', value: { stringValue: 'aws' } },
      { key: 'cloud.platform', value: { stringValue: 'AWS::Lambda::Function' } },
    ]);
    const [seg, ddb, validate] = rs.scopeSpans[0]!.spans;
    expect([seg!.kind, seg!.parentSpanId, seg!.startTimeUnixNano, seg!.endTimeUnixNano]).toEqual([2, '9999999999999999', '1700000000123456000', '1700000000500000000']);
    expect(seg!.attributes).toEqual(
      expect.arrayContaining([
        { key: 'order_id', value: { stringValue: 'o-1' } },
        { key: 'attempts', value: { intValue: '2' } },
        { key: 'saga', value: { boolValue: true } },
        { key: 'ratio', value: { doubleValue: 0.5 } },
        { key: 'aws.xray.metadata.default', value: { stringValue: '{"k":"v"}' } },
      ]),
    );
    expect(seg!.links).toEqual([{ traceId: '00000001000000000000000000000001', spanId: '2222222222222222', attributes: [] }]);
    expect([ddb!.kind, ddb!.parentSpanId]).toEqual([3, '1111111111111111']);
    expect(ddb!.attributes).toEqual(
      expect.arrayContaining([
        { key: 'aws.operation', value: { stringValue: 'PutItem' } },
        { key: 'aws.table_name', value: { stringValue: 'orders' } },
        { key: 'http.status_code', value: { intValue: '200' } },
      ]),
    );
    expect([validate!.kind, validate!.status]).toEqual([1, { code: 2, message: 'bad input' }]);
  });

  it('appends /v1/traces to a base endpoint, as OTEL_EXPORTER_OTLP_ENDPOINT means', () => {
    expect(tracesUrl('http://127.0.0.1:4318')).toBe('http://127.0.0.1:4318/v1/traces');
    expect(tracesUrl('http://127.0.0.1:4318/')).toBe('http://127.0.0.1:4318/v1/traces');
    expect(tracesUrl('http://jaeger:4318/v1/traces')).toBe('http://jaeger:4318/v1/traces');
  });
});
