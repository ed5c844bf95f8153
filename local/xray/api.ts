/**
 * The X-Ray API on the edge (REST-JSON: `POST /<Resource>`, JSON bodies, timestamps as epoch
 * seconds). One entry per operation in OPERATIONS; anything else under X-Ray's signing name
 * answers UnknownOperationException. Errors: status, `x-amzn-ErrorType` and `{"message": …}`.
 *
 *   PutTraceSegments     POST /TraceSegments    {TraceSegmentDocuments}  -> {UnprocessedTraceSegments}
 *   GetTraceSummaries    POST /TraceSummaries   {StartTime, EndTime, FilterExpression, NextToken}
 *   BatchGetTraces       POST /Traces           {TraceIds (≤ 5), NextToken} -> {Traces, UnprocessedTraceIds}
 *   GetServiceGraph      POST /ServiceGraph     {StartTime, EndTime}
 *   GetTraceGraph        POST /TraceGraph       {TraceIds}
 */
import type http from 'node:http';
import { bufferedBody, signingService } from '../aws-shared/body';
import { compileFilter, FilterSyntaxError } from './filter';
import { serviceGraph } from './graph';
import { InvalidSegmentError } from './segments';
import type { TraceStore } from './store';
import { traceSummary, type TraceFacts } from './summary';

export class XRayError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

type Body = Record<string, unknown>;
type Op = (store: TraceStore, body: Body, ctx: { accountId: string; now: () => number }) => unknown;

const PAGE = 100;
const MAX_RANGE_SECONDS = 24 * 3600;

function timeRange(body: Body): { start: number; end: number } {
  const start = body.StartTime;
  const end = body.EndTime;
  if (typeof start !== 'number' || typeof end !== 'number') throw new XRayError('InvalidRequestException', 'StartTime and EndTime are required');
  if (end < start) throw new XRayError('InvalidRequestException', 'EndTime must be after StartTime');
  return { start, end };
}

function offset(body: Body): number {
  const t = body.NextToken;
  if (t === undefined || t === null || t === '') return 0;
  const n = Number(Buffer.from(String(t), 'base64').toString('utf8'));
  if (!Number.isInteger(n) || n < 0) throw new XRayError('InvalidRequestException', 'Invalid NextToken');
  return n;
}
const token = (n: number) => Buffer.from(String(n)).toString('base64');

function inRange(store: TraceStore, start: number, end: number): TraceFacts[] {
  const out: TraceFacts[] = [];
  for (const t of store.all()) if (t.start <= end && t.end >= start) out.push(store.facts(t));
  return out;
}

export const OPERATIONS: Record<string, { name: string; run: Op }> = {
  '/TraceSegments': {
    name: 'PutTraceSegments',
    run: (store, body) => {
      const docs = body.TraceSegmentDocuments;
      if (!Array.isArray(docs) || docs.some((d) => typeof d !== 'string')) throw new XRayError('InvalidRequestException', 'TraceSegmentDocuments must be a list of strings');
      const unprocessed: Array<{ Id?: string; ErrorCode: string; Message: string }> = [];
      for (const text of docs as string[]) {
        try {
          store.putText(text);
        } catch (err) {
          if (!(err instanceof InvalidSegmentError)) throw err;
          const code = /ErrorCode: (\S+)/.exec(err.message)?.[1] ?? 'InvalidSegment';
          unprocessed.push({ ...(err.segmentId ? { Id: err.segmentId } : {}), ErrorCode: code, Message: err.message });
        }
      }
      return { UnprocessedTraceSegments: unprocessed };
    },
  },
  '/TraceSummaries': {
    name: 'GetTraceSummaries',
    run: (store, body, ctx) => {
      const { start, end } = timeRange(body);
      if (end - start > MAX_RANGE_SECONDS) throw new XRayError('InvalidRequestException', 'Time range can not be more than 24 hours');
      let filter;
      try {
        filter = compileFilter(typeof body.FilterExpression === 'string' ? body.FilterExpression : undefined);
      } catch (err) {
        if (err instanceof FilterSyntaxError) throw new XRayError('InvalidRequestException', `Invalid filter expression: ${err.message}`);
        throw err;
      }
      const all = inRange(store, start, end);
      const matched = all.filter(filter).sort((a, b) => b.start - a.start);
      const from = offset(body);
      const page = matched.slice(from, from + PAGE);
      return {
        TraceSummaries: page.map(traceSummary),
        ApproximateTime: Math.floor(ctx.now() / 1000),
        TracesProcessedCount: all.length,
        ...(from + PAGE < matched.length ? { NextToken: token(from + PAGE) } : {}),
      };
    },
  },
  '/Traces': {
    name: 'BatchGetTraces',
    run: (store, body) => {
      const ids = body.TraceIds;
      if (!Array.isArray(ids) || ids.some((d) => typeof d !== 'string')) throw new XRayError('InvalidRequestException', 'TraceIds must be a list of strings');
      if (ids.length > 5) throw new XRayError('InvalidRequestException', 'TraceIds can contain at most 5 ids');
      const traces: unknown[] = [];
      const unprocessed: string[] = [];
      for (const id of ids as string[]) {
        const t = store.get(id);
        if (!t) {
          unprocessed.push(id);
          continue;
        }
        const f = store.facts(t);
        traces.push({
          Id: id,
          Duration: f.duration,
          LimitExceeded: false,
          Segments: f.segments.map((s) => ({ Id: s.id, Document: JSON.stringify(s.type === 'subsegment' ? s : { ...s, trace_id: id }) })),
        });
      }
      return { Traces: traces, UnprocessedTraceIds: unprocessed };
    },
  },
  '/ServiceGraph': {
    name: 'GetServiceGraph',
    run: (store, body, ctx) => {
      const { start, end } = timeRange(body);
      return { StartTime: start, EndTime: end, Services: serviceGraph(inRange(store, start, end), ctx.accountId), ContainsOldGroupVersions: false };
    },
  },
  '/TraceGraph': {
    name: 'GetTraceGraph',
    run: (store, body, ctx) => {
      const ids = Array.isArray(body.TraceIds) ? (body.TraceIds as unknown[]).filter((x): x is string => typeof x === 'string') : [];
      if (!ids.length) throw new XRayError('InvalidRequestException', 'TraceIds is required');
      const facts = ids.map((id) => store.get(id)).filter((t) => t !== undefined).map((t) => store.facts(t));
      return { Services: serviceGraph(facts, ctx.accountId) };
    },
  },
};

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The edge route: answers X-Ray's paths (when the request is signed for X-Ray, or unsigned). */
export function createXRayRoute(store: TraceStore, ctx: { accountId: string; now: () => number; log?: (m: string) => void }) {
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> => {
    const service = signingService(req);
    if (service !== undefined && service !== 'xray') return false;
    const path = (req.url ?? '/').split('?')[0]!;
    const op = OPERATIONS[path];
    if (!op) {
      if (service !== 'xray') return false;
      sendJson(res, 404, { message: `the local X-Ray does not serve ${req.method} ${path}` }, { 'x-amzn-ErrorType': 'UnknownOperationException' });
      return true;
    }
    if (req.method !== 'POST') return false;
    try {
      const raw = await bufferedBody(req);
      let body: Body;
      try {
        body = raw.length ? (JSON.parse(raw.toString('utf8')) as Body) : {};
      } catch {
        throw new XRayError('InvalidRequestException', 'The request body is not valid JSON');
      }
      sendJson(res, 200, op.run(store, body ?? {}, ctx));
    } catch (err) {
      if (err instanceof XRayError) sendJson(res, err.status, { message: err.message }, { 'x-amzn-ErrorType': err.type });
      else {
        ctx.log?.(`xray ${op.name}: ${(err as Error).stack ?? err}`);
        sendJson(res, 500, { message: 'internal error' }, { 'x-amzn-ErrorType': 'ServiceException' });
      }
    }
    return true;
  };
}
