/**
 * What X-Ray derives from a trace's documents: the segments with their independent subsegments
 * folded in where their parent is (as BatchGetTraces returns them), the services (a segment's
 * name and origin, and the downstream nodes its `aws`/`remote` subsegments call), and the facts
 * GetTraceSummaries reports and filters on (response time, duration, fault/error/throttle, HTTP,
 * annotations, users, resource ARNs, entry point).
 */
import { walk, type SegmentDocument } from './segments';

export interface ServiceId {
  Name: string;
  Names: string[];
  AccountId?: string;
  Type: string;
}

export type AnnotationValue = { StringValue: string } | { NumberValue: number } | { BooleanValue: boolean };

export interface TraceFacts {
  id: string;
  /** epoch seconds */
  start: number;
  end: number;
  duration: number;
  responseTime: number | undefined;
  fault: boolean;
  error: boolean;
  throttle: boolean;
  partial: boolean;
  http: { HttpURL?: string; HttpStatus?: number; HttpMethod?: string; UserAgent?: string; ClientIp?: string } | undefined;
  /** every service (segments and inferred downstream nodes) */
  services: ServiceId[];
  entryPoint: ServiceId | undefined;
  annotations: Map<string, Array<{ value: string | number | boolean; services: ServiceId[] }>>;
  users: string[];
  resourceArns: string[];
  /** the merged segments, for BatchGetTraces */
  segments: SegmentDocument[];
}

const AWS_TYPES: Record<string, string> = {
  DynamoDB: 'AWS::DynamoDB::Table',
  SQS: 'AWS::SQS::Queue',
  SNS: 'AWS::SNS',
  Lambda: 'AWS::Lambda',
  S3: 'AWS::S3::Bucket',
  SFN: 'AWS::StepFunctions::StateMachine',
  StepFunctions: 'AWS::StepFunctions::StateMachine',
  EventBridge: 'AWS::Events',
  SES: 'AWS::SES',
  SESv2: 'AWS::SES',
  Kafka: 'AWS::Kafka',
};

/** The node a subsegment stands for in the service graph, when it calls something downstream. */
export function inferredService(s: SegmentDocument, accountId?: string): ServiceId | undefined {
  if (s.namespace === 'aws') {
    const type = AWS_TYPES[s.name] ?? `AWS::${s.name}`;
    return { Name: s.name, Names: [s.name], AccountId: accountId, Type: type };
  }
  if (s.namespace === 'remote') return { Name: s.name, Names: [s.name], Type: 'remote' };
  return undefined;
}

export function segmentService(s: SegmentDocument, accountId?: string): ServiceId {
  return { Name: s.name, Names: [s.name], AccountId: accountId, Type: s.origin ?? 'client' };
}

const serviceKey = (s: ServiceId) => `${s.Type}\u0000${s.Name}`;

/** Folds independent subsegments into their parents; those whose parent never arrived stay on their own. */
export function mergeDocuments(docs: SegmentDocument[]): SegmentDocument[] {
  const roots = docs.filter((d) => d.type !== 'subsegment').map(cloneShallowTree);
  let loose = docs.filter((d) => d.type === 'subsegment').map(cloneShallowTree);
  const byId = new Map<string, SegmentDocument>();
  const indexTree = (d: SegmentDocument) => walk(d, (s) => byId.set(s.id, s));
  for (const r of roots) indexTree(r);
  loose.sort((a, b) => a.start_time - b.start_time);
  for (let progress = true; progress && loose.length; ) {
    progress = false;
    const rest: SegmentDocument[] = [];
    for (const s of loose) {
      const parent = s.parent_id ? byId.get(s.parent_id) : undefined;
      if (!parent) {
        rest.push(s);
        continue;
      }
      const { type: _type, trace_id: _trace, parent_id: _parent, ...embedded } = s;
      const child = embedded as SegmentDocument;
      const list = (parent.subsegments ??= []);
      const at = list.findIndex((x) => x.id === child.id);
      if (at >= 0) list[at] = child;
      else list.push(child);
      indexTree(child);
      progress = true;
    }
    loose = rest;
  }
  return [...roots.sort((a, b) => a.start_time - b.start_time), ...loose];
}

/** A copy whose subsegment arrays can be changed without touching the original. */
function cloneShallowTree(d: SegmentDocument): SegmentDocument {
  return d.subsegments ? { ...d, subsegments: d.subsegments.map(cloneShallowTree) } : { ...d };
}

export function summarize(traceId: string, docs: SegmentDocument[], accountId?: string): TraceFacts {
  const segments = mergeDocuments(docs);
  const services = new Map<string, ServiceId>();
  const annotations = new Map<string, Array<{ value: string | number | boolean; services: ServiceId[] }>>();
  const users = new Set<string>();
  const arns = new Set<string>();
  let start = Infinity;
  let end = -Infinity;
  let fault = false;
  let error = false;
  let throttle = false;
  let partial = false;
  const ids = new Set<string>();
  for (const seg of segments) walk(seg, (s) => ids.add(s.id));
  for (const seg of segments) {
    const own = seg.type === 'subsegment' ? undefined : segmentService(seg, accountId);
    if (own) services.set(serviceKey(own), own);
    walk(seg, (s) => {
      if (s.start_time < start) start = s.start_time;
      const e = s.end_time ?? s.start_time;
      if (e > end) end = e;
      if (s.in_progress) partial = true;
      if (s.fault) fault = true;
      if (s.error) error = true;
      if (s.throttle) throttle = true;
      if (s.user) users.add(s.user);
      if (s.resource_arn) arns.add(s.resource_arn);
      const inferred = s === seg ? undefined : inferredService(s, accountId);
      if (inferred) services.set(serviceKey(inferred), inferred);
      if (s.annotations) {
        for (const [k, v] of Object.entries(s.annotations)) {
          const list = annotations.get(k) ?? [];
          const found = list.find((x) => x.value === v);
          if (found) {
            if (own && !found.services.some((x) => serviceKey(x) === serviceKey(own))) found.services.push(own);
          } else list.push({ value: v, services: own ? [own] : [] });
          annotations.set(k, list);
        }
      }
    });
  }
  // the entry point: the earliest segment whose parent is not in this trace
  const root = segments.filter((s) => s.type !== 'subsegment' && (!s.parent_id || !ids.has(s.parent_id))).sort((a, b) => a.start_time - b.start_time)[0];
  const rq = root?.http?.request;
  const rs = root?.http?.response;
  return {
    id: traceId,
    start: Number.isFinite(start) ? start : 0,
    end: Number.isFinite(end) ? end : 0,
    duration: Number.isFinite(start) && Number.isFinite(end) ? round3(end - start) : 0,
    responseTime: root && root.end_time !== undefined ? round3(root.end_time - root.start_time) : undefined,
    fault,
    error,
    throttle,
    partial,
    http: root?.http ? { HttpURL: rq?.url, HttpStatus: rs?.status, HttpMethod: rq?.method, UserAgent: rq?.user_agent, ClientIp: rq?.client_ip } : undefined,
    services: [...services.values()],
    entryPoint: root ? segmentService(root, accountId) : undefined,
    annotations,
    users: [...users],
    resourceArns: [...arns],
    segments,
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

function annotationValue(v: string | number | boolean): AnnotationValue {
  if (typeof v === 'number') return { NumberValue: v };
  if (typeof v === 'boolean') return { BooleanValue: v };
  return { StringValue: v };
}

/** The TraceSummary shape of GetTraceSummaries. */
export function traceSummary(f: TraceFacts): Record<string, unknown> {
  const annotations: Record<string, unknown> = {};
  for (const [k, list] of f.annotations) annotations[k] = list.map((x) => ({ AnnotationValue: annotationValue(x.value), ServiceIds: x.services }));
  return {
    Id: f.id,
    StartTime: f.start,
    Duration: f.duration,
    ResponseTime: f.responseTime,
    HasFault: f.fault,
    HasError: f.error,
    HasThrottle: f.throttle,
    IsPartial: f.partial,
    Http: f.http ?? {},
    Annotations: annotations,
    Users: f.users.map((u) => ({ UserName: u, ServiceIds: [] })),
    ServiceIds: f.services,
    ResourceARNs: f.resourceArns.map((a) => ({ ARN: a })),
    InstanceIds: [],
    AvailabilityZones: [],
    EntryPoint: f.entryPoint,
    FaultRootCauses: [],
    ErrorRootCauses: [],
    ResponseTimeRootCauses: [],
    Revision: 1,
  };
}
