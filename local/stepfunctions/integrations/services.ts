/**
 * Optimized integrations with AWS services, called on the edge endpoint in each service's protocol, and
 * the SDK form `arn:aws:states:::aws-sdk:<service>:<action>`.
 *
 * | resource                    | protocol                 | output                                  | errors                                   |
 * | --------------------------- | ------------------------ | --------------------------------------- | ---------------------------------------- |
 * | dynamodb:getItem/putItem/   | JSON 1.0 DynamoDB_20120810 | answer + SdkHttpMetadata/ResponseMetadata | DynamoDB.<Code>; ValidationException is DynamoDB.AmazonDynamoDBException |
 * |   updateItem/deleteItem     |                          |                                         |                                          |
 * | sqs:sendMessage             | JSON 1.0 AmazonSQS       | answer + metadata                       | SQS.<Code> (SQS.AmazonSQSException)      |
 * | sns:publish                 | query (XML)              | {MessageId} + metadata                  | SNS.<Code> (SNS.AmazonSNSException)      |
 * | events:putEvents            | JSON 1.1 AWSEvents       | {Entries, FailedEntryCount}             | EventBridge.FailedEntry when an entry failed |
 * | aws-sdk:<service>:<action>  | the service's            | the answer as it is                     | <Service>.<Code> (DynamoDb.ConditionalCheckFailedException) |
 *
 * Causes follow the Java SDK wording Step Functions records: "<message> (Service: AmazonDynamoDBv2; Status
 * Code: 400; Error Code: X; Request ID: Y; Proxy: null)" for optimized integrations and "<message> (Service:
 * DynamoDb, Status Code: 400, Request ID: Y)" for the SDK form.
 */
import { StatesError } from '../runtime/errors';
import { answerHeaders, jsonCall, jsonError, queryCall, sdkMetadata, xmlError, xmlText, type HttpAnswer } from './http';
import type { Integration, TaskCall } from './types';

export interface ServiceEnv {
  edgeUrl: () => string;
  region: string;
}

const optimizedCause = (msg: string, service: string, a: HttpAnswer, code: string) =>
  `${msg} (Service: ${service}; Status Code: ${a.status}; Error Code: ${code}; Request ID: ${a.requestId}; Proxy: null)`;

function unreachable(prefix: string, e: unknown): StatesError {
  return new StatesError(`${prefix}.SdkClientException`, `Unable to execute HTTP request: ${(e as Error).message}`);
}

async function guarded(prefix: string, c: TaskCall, run: () => Promise<HttpAnswer>): Promise<HttpAnswer> {
  try {
    return await run();
  } catch (e) {
    if (c.signal.aborted) throw e;
    throw unreachable(prefix, e);
  }
}

// ---------------------------------------------------------------- DynamoDB (optimized)
const DDB_ACTIONS: Record<string, string> = { getItem: 'GetItem', putItem: 'PutItem', updateItem: 'UpdateItem', deleteItem: 'DeleteItem' };

export function dynamodbIntegration(env: ServiceEnv, action: string): Integration | null {
  const op = DDB_ACTIONS[action];
  if (!op) return null;
  return {
    resourceType: 'dynamodb',
    resource: action,
    pattern: 'request',
    async call(c) {
      const a = await guarded('DynamoDB', c, () => jsonCall(env.edgeUrl(), { target: `DynamoDB_20120810.${op}`, version: '1.0', service: 'dynamodb', region: env.region, body: c.params, signal: c.signal }));
      if (a.status >= 300) {
        const e = jsonError(a);
        const name = e.code === 'ValidationException' ? 'DynamoDB.AmazonDynamoDBException' : `DynamoDB.${e.code}`;
        throw new StatesError(name, optimizedCause(e.message, 'AmazonDynamoDBv2', a, e.code));
      }
      const body = a.text ? (JSON.parse(a.text) as Record<string, unknown>) : {};
      return { ...body, ...sdkMetadata({ status: a.status, headers: answerHeaders(a), requestId: a.requestId }) };
    },
  };
}

// ---------------------------------------------------------------- SQS (optimized)
export function sqsIntegration(env: ServiceEnv, action: string, token: boolean): Integration | null {
  if (action !== 'sendMessage') return null;
  return {
    resourceType: 'sqs',
    resource: token ? 'sendMessage.waitForTaskToken' : 'sendMessage',
    pattern: token ? 'token' : 'request',
    async call(c) {
      const p = { ...((c.params ?? {}) as Record<string, unknown>) };
      if (p.MessageBody !== undefined && typeof p.MessageBody !== 'string') p.MessageBody = JSON.stringify(p.MessageBody);
      const a = await guarded('SQS', c, () => jsonCall(env.edgeUrl(), { target: 'AmazonSQS.SendMessage', version: '1.0', service: 'sqs', region: env.region, body: p, signal: c.signal }));
      if (a.status >= 300) {
        const e = jsonError(a);
        throw new StatesError(`SQS.${e.code.startsWith('AWS.SimpleQueueService.') ? e.code.slice(23) : 'AmazonSQSException'}`, optimizedCause(e.message, 'AmazonSQS', a, e.code));
      }
      const body = a.text ? (JSON.parse(a.text) as Record<string, unknown>) : {};
      return { ...body, ...sdkMetadata({ status: a.status, headers: answerHeaders(a), requestId: a.requestId }) };
    },
  };
}

// ---------------------------------------------------------------- SNS (optimized, query protocol)
/** Flattens SNS Publish parameters into query-protocol form fields. */
function snsForm(p: Record<string, unknown>): Record<string, string> {
  const f: Record<string, string> = { Action: 'Publish', Version: '2010-03-31' };
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined || v === null) continue;
    if (k === 'MessageAttributes' && typeof v === 'object') {
      let i = 1;
      for (const [name, attr] of Object.entries(v as Record<string, Record<string, unknown>>)) {
        f[`MessageAttributes.entry.${i}.Name`] = name;
        for (const [ak, av] of Object.entries(attr)) f[`MessageAttributes.entry.${i}.Value.${ak}`] = String(av);
        i++;
      }
    } else f[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return f;
}

export function snsIntegration(env: ServiceEnv, action: string, token: boolean): Integration | null {
  if (action !== 'publish') return null;
  return {
    resourceType: 'sns',
    resource: token ? 'publish.waitForTaskToken' : 'publish',
    pattern: token ? 'token' : 'request',
    async call(c) {
      const a = await guarded('SNS', c, () => queryCall(env.edgeUrl(), { service: 'sns', region: env.region, params: snsForm((c.params ?? {}) as Record<string, unknown>), signal: c.signal }));
      if (a.status >= 300) {
        const e = xmlError(a);
        throw new StatesError(`SNS.${e.code === 'InvalidParameter' || e.code === 'InternalFailure' ? 'AmazonSNSException' : `${e.code}Exception`.replace(/ExceptionException$/, 'Exception')}`, optimizedCause(e.message, 'AmazonSNS', a, e.code));
      }
      const out: Record<string, unknown> = { MessageId: xmlText(a.text, 'MessageId') };
      const seq = xmlText(a.text, 'SequenceNumber');
      if (seq) out.SequenceNumber = seq;
      return { ...out, ...sdkMetadata({ status: a.status, headers: answerHeaders(a), requestId: xmlText(a.text, 'RequestId') ?? a.requestId }) };
    },
  };
}

// ---------------------------------------------------------------- EventBridge (optimized)
export function eventsIntegration(env: ServiceEnv, action: string, token: boolean): Integration | null {
  if (action !== 'putEvents') return null;
  return {
    resourceType: 'events',
    resource: token ? 'putEvents.waitForTaskToken' : 'putEvents',
    pattern: token ? 'token' : 'request',
    async call(c) {
      const p = { ...((c.params ?? {}) as Record<string, unknown>) };
      if (Array.isArray(p.Entries)) {
        p.Entries = (p.Entries as Record<string, unknown>[]).map((e) => (e && typeof e.Detail === 'object' && e.Detail !== null ? { ...e, Detail: JSON.stringify(e.Detail) } : e));
      }
      const a = await guarded('EventBridge', c, () => jsonCall(env.edgeUrl(), { target: 'AWSEvents.PutEvents', version: '1.1', service: 'events', region: env.region, body: p, signal: c.signal }));
      if (a.status >= 300) {
        const e = jsonError(a);
        throw new StatesError(`EventBridge.${e.code}`, optimizedCause(e.message, 'AmazonEventBridge', a, e.code));
      }
      const body = JSON.parse(a.text || '{}') as { Entries?: unknown[]; FailedEntryCount?: number };
      if ((body.FailedEntryCount ?? 0) > 0) throw new StatesError('EventBridge.FailedEntry', JSON.stringify(body));
      return body;
    },
  };
}

// ---------------------------------------------------------------- aws-sdk:<service>:<action>
interface SdkService {
  /** Error name prefix, as Step Functions spells it (DynamoDb, Sqs, EventBridge...). */
  prefix: string;
  protocol: 'json1.0' | 'json1.1' | 'query';
  target?: string;
  signing: string;
  /** The service's wire field names are camelCase (Step Functions' own API): convert both ways. */
  camel?: boolean;
  queryVersion?: string;
}

const SDK_SERVICES: Record<string, SdkService> = {
  dynamodb: { prefix: 'DynamoDb', protocol: 'json1.0', target: 'DynamoDB_20120810', signing: 'dynamodb' },
  sqs: { prefix: 'Sqs', protocol: 'json1.0', target: 'AmazonSQS', signing: 'sqs' },
  eventbridge: { prefix: 'EventBridge', protocol: 'json1.1', target: 'AWSEvents', signing: 'events' },
  sfn: { prefix: 'Sfn', protocol: 'json1.0', target: 'AWSStepFunctions', signing: 'states', camel: true },
  secretsmanager: { prefix: 'SecretsManager', protocol: 'json1.1', target: 'secretsmanager', signing: 'secretsmanager' },
  kinesis: { prefix: 'Kinesis', protocol: 'json1.1', target: 'Kinesis_20131202', signing: 'kinesis' },
  cloudwatchlogs: { prefix: 'CloudWatchLogs', protocol: 'json1.1', target: 'Logs_20140328', signing: 'logs' },
  sns: { prefix: 'Sns', protocol: 'query', signing: 'sns', queryVersion: '2010-03-31' },
};

export const SDK_SERVICE_NAMES = Object.keys(SDK_SERVICES);

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function rekey(v: unknown, f: (k: string) => string): unknown {
  if (Array.isArray(v)) return v.map((x) => rekey(x, f));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [f(k), rekey(x, f)]));
  return v;
}

/** Query-protocol form fields for flat parameters (lists as member.N). */
function queryForm(action: string, version: string, p: Record<string, unknown>): Record<string, string> {
  const f: Record<string, string> = { Action: action, Version: version };
  const put = (prefix: string, v: unknown): void => {
    if (v === undefined || v === null) return;
    if (Array.isArray(v)) v.forEach((x, i) => put(`${prefix}.member.${i + 1}`, x));
    else if (typeof v === 'object') for (const [k, x] of Object.entries(v)) put(`${prefix}.${k}`, x);
    else f[prefix] = String(v);
  };
  for (const [k, v] of Object.entries(p)) put(k, v);
  return f;
}

/** The scalar children of the XML <ActionResult> element, as an object. */
function queryResult(xml: string, action: string): Record<string, unknown> {
  const inner = xmlText(xml, `${action}Result`) ?? '';
  const out: Record<string, unknown> = {};
  const re = /<([A-Za-z0-9]+)>([^<]*)<\/\1>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(inner))) out[m[1]] = m[2];
  return out;
}

export function sdkIntegration(env: ServiceEnv, service: string, action: string, token: boolean): Integration | null {
  const svc = SDK_SERVICES[service];
  if (!svc || !/^[a-z][A-Za-z0-9]*$/.test(action)) return null;
  const op = upperFirst(action);
  return {
    resourceType: `aws-sdk:${service}`,
    resource: token ? `${action}.waitForTaskToken` : action,
    pattern: token ? 'token' : 'request',
    async call(c) {
      const params = (c.params ?? {}) as Record<string, unknown>;
      let a: HttpAnswer;
      try {
        if (svc.protocol === 'query') a = await queryCall(env.edgeUrl(), { service: svc.signing, region: env.region, params: queryForm(op, svc.queryVersion!, params), signal: c.signal });
        else a = await jsonCall(env.edgeUrl(), { target: `${svc.target}.${op}`, version: svc.protocol === 'json1.0' ? '1.0' : '1.1', service: svc.signing, region: env.region, body: svc.camel ? rekey(params, lowerFirst) : params, signal: c.signal });
      } catch (e) {
        if (c.signal.aborted) throw e;
        throw new StatesError(`${svc.prefix}.SdkClientException`, `Unable to execute HTTP request: ${(e as Error).message}`);
      }
      if (a.status >= 300) {
        const e = svc.protocol === 'query' ? xmlError(a) : jsonError(a);
        const code = e.code === 'ValidationException' || e.code === 'InternalFailure' ? `${svc.prefix}Exception` : e.code.endsWith('Exception') ? e.code : `${e.code}Exception`;
        throw new StatesError(`${svc.prefix}.${code}`, `${e.message} (Service: ${svc.prefix}, Status Code: ${a.status}, Request ID: ${a.requestId})`);
      }
      if (svc.protocol === 'query') return queryResult(a.text, op);
      const body = a.text ? JSON.parse(a.text) : {};
      return svc.camel ? rekey(body, upperFirst) : body;
    },
  };
}
