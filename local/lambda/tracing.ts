/**
 * The segments Lambda records for an invocation of a function with active tracing:
 *
 * - `AWS::Lambda` (the service): parent = the caller's Parent from the incoming trace header;
 *   HTTP 200, 429 when throttled; `resource_arn` the function;
 * - `AWS::Lambda::Function` (the function), its child: its id is the Parent of the
 *   `_X_AMZN_TRACE_ID` the function runs with, so the subsegments the function's X-Ray SDK sends
 *   (Powertools Tracer's `## handler`, AWS SDK calls…) hang under it; an `Invocation` subsegment
 *   for the handler's run; `fault` with the error as cause when the function failed or timed out.
 *
 * An invocation without a trace header, or one that made no sampling decision, is decided by the
 * X-Ray sampling rule in force (../xray/sampling.ts: AWS's keeps the first request each second and
 * 5% more; locally every request is kept unless another rule is set). One whose caller decided
 * Sampled=0 records nothing and passes the header on.
 */
import type { SegmentSink } from '../xray';
import { newSegmentId, newTraceId, parseTraceHeader, type SegmentDocument } from '../xray/segments';
import type { FunctionSpec, InvokeResult } from './types';

export interface InvocationTrace {
  /** `_X_AMZN_TRACE_ID` for the function */
  header: string;
  /** records the segments; returns the result unchanged */
  end(result: InvokeResult): InvokeResult;
}

export function invocationTrace(spec: FunctionSpec, requestId: string, incoming: string | undefined, sink: SegmentSink): InvocationTrace | undefined {
  const parsed = parseTraceHeader(incoming);
  if (parsed?.sampled === false) return undefined;
  if (parsed?.sampled === undefined && sink.sample && !sink.sample()) {
    // sampled out by the rule in force: the function runs with Sampled=0 (its X-Ray SDK sends
    // nothing) and passes that decision on to what it calls
    return { header: `Root=${parsed?.root ?? newTraceId(Date.now())};Parent=${parsed?.parent ?? newSegmentId()};Sampled=0`, end: (result) => result };
  }
  const startMs = Date.now();
  const traceId = parsed?.root ?? newTraceId(startMs);
  const serviceId = newSegmentId();
  const functionId = newSegmentId();
  return {
    header: `Root=${traceId};Parent=${functionId};Sampled=1`,
    end(result) {
      const endMs = Date.now();
      const start = startMs / 1000;
      const end = endMs / 1000;
      const throttled = result.status === 'throttled';
      const service: SegmentDocument = {
        name: spec.name,
        id: serviceId,
        trace_id: traceId,
        start_time: start,
        end_time: end,
        origin: 'AWS::Lambda',
        resource_arn: spec.arn,
        http: { response: { status: throttled ? 429 : 200 } },
        aws: { request_id: requestId },
      };
      if (parsed?.parent) service.parent_id = parsed.parent;
      if (throttled) {
        service.throttle = true;
        service.error = true;
        sink.put(service);
        return result;
      }
      const ran = 'durationMs' in result ? result.durationMs / 1000 : 0;
      const fnStart = Math.max(start, end - ran);
      const fn: SegmentDocument = {
        name: spec.name,
        id: functionId,
        trace_id: traceId,
        parent_id: serviceId,
        start_time: fnStart,
        end_time: end,
        origin: 'AWS::Lambda::Function',
        resource_arn: spec.arn,
        aws: { function_arn: spec.arn, resource_names: [spec.name], account_id: spec.arn.split(':')[4] },
        subsegments: [{ name: 'Invocation', id: newSegmentId(), start_time: fnStart, end_time: end }],
      };
      if (result.status === 'error' || result.status === 'timeout') {
        fn.fault = true;
        fn.cause = { exceptions: [{ id: newSegmentId(), type: result.errorType, message: result.errorMessage }] };
        fn.subsegments![0]!.fault = true;
      }
      if ('coldStart' in result && result.coldStart) fn.annotations = { cold_start: true };
      sink.put(service);
      sink.put(fn);
      return result;
    },
  };
}
