/**
 * The X-Ray segment of a request to a stage with active tracing, as API Gateway records it: named
 * `<api name>/<stage>`, origin `AWS::ApiGateway::Stage`, its id the Parent of the trace header
 * the gateway made for the request (the caller's Parent, when it sent one, is its parent), the
 * request and the response status (4xx error, 429 throttle, 5xx fault), and a `Lambda`
 * subsegment (namespace aws, operation Invoke) for the integration call: the function gets a
 * trace header whose Parent is that subsegment, so its segments hang under it.
 */
import type { IncomingMessage } from 'node:http';
import { newSegmentId, parseTraceHeader, type SegmentDocument } from '../xray/segments';
import type { RestApiSpec } from './types';

export interface RequestTrace {
  /** the trace header for the function, and the start of the call */
  lambdaCall(functionName: string): string;
  lambdaDone(status: string): void;
  end(status: number, requestId: string): void;
}

export function requestTrace(req: IncomingMessage, api: RestApiSpec, header: string, sink: { put(doc: SegmentDocument): void }): RequestTrace | undefined {
  const own = parseTraceHeader(header);
  if (!own || own.sampled === false || !own.parent) return undefined;
  const incomingParent = parseTraceHeader(req.headers['x-amzn-trace-id'] as string | undefined)?.parent;
  const start = Date.now() / 1000;
  let call: SegmentDocument | undefined;
  return {
    lambdaCall(functionName) {
      call = {
        name: 'Lambda',
        id: newSegmentId(),
        start_time: Date.now() / 1000,
        namespace: 'aws',
        aws: { function_name: functionName, operation: 'Invoke', region: process.env.AWS_REGION },
      };
      return `Root=${own.root};Parent=${call.id};Sampled=1`;
    },
    lambdaDone(status) {
      if (!call) return;
      call.end_time = Date.now() / 1000;
      if (status === 'throttled') {
        call.throttle = true;
        call.error = true;
        call.http = { response: { status: 429 } };
      } else if (status !== 'ok') call.fault = true;
      else call.http = { response: { status: 200 } };
    },
    end(status, requestId) {
      const end = Date.now() / 1000;
      if (call && call.end_time === undefined) {
        call.end_time = end;
        call.fault = true;
      }
      const host = req.headers.host ?? 'localhost';
      const seg: SegmentDocument = {
        name: `${api.name}/${api.stageName}`,
        id: own.parent!,
        trace_id: own.root,
        start_time: start,
        end_time: end,
        origin: 'AWS::ApiGateway::Stage',
        resource_arn: `arn:aws:apigateway:${process.env.AWS_REGION ?? 'us-east-1'}::/restapis/${api.id}/stages/${api.stageName}`,
        http: {
          request: { method: req.method, url: `http://${host}${req.url ?? '/'}`, user_agent: req.headers['user-agent'], client_ip: req.socket.remoteAddress },
          response: { status },
        },
        aws: { api_id: api.id, stage: api.stageName, request_id: requestId },
      };
      if (incomingParent) seg.parent_id = incomingParent;
      if (status === 429) {
        seg.throttle = true;
        seg.error = true;
      } else if (status >= 500) seg.fault = true;
      else if (status >= 400) seg.error = true;
      if (call) seg.subsegments = [call];
      sink.put(seg);
    },
  };
}
