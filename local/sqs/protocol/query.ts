/**
 * SQS over the query protocol (API version 2012-11-05), as the AWS CLI v1, boto3 before 1.31
 * and other older SDKs send it: a form (`Action=SendMessage&Version=2012-11-05&...`) POSTed to
 * `/` or to the queue URL (or the same as a GET query string), answered in XML.
 *
 * The form is turned into the JSON protocol's input shape, the operation runs as for JSON
 * clients, and the output is written as the query protocol's XML (flattened lists and maps under
 * the names of the Smithy model's `xmlName` traits).
 *
 * How the route knows a request is SQS's: a SigV4 credential scope naming `sqs`, or, unsigned,
 * `Version=2012-11-05` with an SQS action. It reads the body only of form POSTs (see
 * aws-shared/body.ts), so a request that is not its own reaches the next route intact.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, bufferedBody, isFormPost, signingService } from '../../aws-shared/body';
import { type Form, formList, formStructList, parseForm } from '../../aws-shared/form';
import { closeSignal } from '../../aws-shared/body';
import { requestId } from '../../aws-shared/ids';
import { el, queryError, queryResponse } from '../../aws-shared/xml';
import { SqsError, unsupportedOperation } from '../errors';
import type { SqsContext } from '../operations/context';
import { NOT_IMPLEMENTED, OPERATIONS } from '../registry';

const XMLNS = 'http://queue.amazonaws.com/doc/2012-11-05/';
const VERSION = '2012-11-05';
const ACTIONS = new Set([...Object.keys(OPERATIONS), ...Object.keys(NOT_IMPLEMENTED)]);

async function formOf(req: IncomingMessage): Promise<Form | undefined> {
  if (isFormPost(req)) return parseForm((await bufferedBody(req, 2 * 1024 * 1024 + 64 * 1024)).toString('utf8'));
  if (req.method === 'GET' && req.url?.includes('Action=')) return parseForm(new URL(req.url, 'http://local').search.slice(1));
  return undefined;
}

export async function isSqsQueryRequest(req: IncomingMessage): Promise<boolean> {
  if (req.headers['x-amz-target']) return false;
  const service = signingService(req);
  if (service && service !== 'sqs') return false;
  if (!isFormPost(req) && !(req.method === 'GET' && req.url?.includes('Action='))) return false;
  // unsigned: only `/` and queue URLs can be SQS's, so no other route's body is ever read here
  if (!service && !/^\/(\d{12}\/[^/?]+\/?)?(\?|$)/.test(req.url ?? '/')) return false;
  let form: Form | undefined;
  try {
    form = await formOf(req);
  } catch (err) {
    if (err instanceof BodyTooLargeError) return service === 'sqs';
    throw err;
  }
  const action = form?.get('Action');
  if (!action || !ACTIONS.has(action)) return false;
  return service === 'sqs' || form!.get('Version') === VERSION;
}

// ---- form => JSON input ---------------------------------------------------------------------------

function messageAttributes(form: Form, prefix: string): Record<string, unknown> | undefined {
  const list = formStructList(form, prefix, '');
  if (!list.length) return undefined;
  const out: Record<string, unknown> = {};
  for (const a of list) {
    const name = a.get('Name');
    if (name === undefined) continue;
    const v: Record<string, string> = {};
    for (const f of ['DataType', 'StringValue', 'BinaryValue']) {
      const x = a.get(`Value.${f}`);
      if (x !== undefined) v[f] = x;
    }
    out[name] = v;
  }
  return out;
}

function nameValueMap(form: Form, prefix: string, key: string, value: string): Record<string, string> | undefined {
  const list = formStructList(form, prefix, '');
  if (!list.length) return undefined;
  const out: Record<string, string> = {};
  for (const e of list) {
    const k = e.get(key);
    if (k !== undefined) out[k] = e.get(value) ?? '';
  }
  return out;
}

const ENTRY_PREFIX: Record<string, string> = {
  SendMessageBatch: 'SendMessageBatchRequestEntry',
  DeleteMessageBatch: 'DeleteMessageBatchRequestEntry',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibilityBatchRequestEntry',
};

/** The JSON-protocol input of an action from its form. */
export function inputFromForm(action: string, form: Form, pathQueueUrl?: string): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [k, v] of form) if (!k.includes('.') && k !== 'Action' && k !== 'Version') input[k] = v;
  if (!input.QueueUrl && pathQueueUrl) input.QueueUrl = pathQueueUrl;
  const attrs = nameValueMap(form, 'Attribute', 'Name', 'Value');
  if (attrs) input.Attributes = attrs;
  const tags = nameValueMap(form, 'Tag', 'Key', 'Value');
  if (tags) input[action === 'CreateQueue' ? 'tags' : 'Tags'] = tags;
  const attrNames = formList(form, 'AttributeName', '');
  if (attrNames.length) input.AttributeNames = attrNames;
  const msgAttrNames = formList(form, 'MessageAttributeName', '');
  if (msgAttrNames.length) input.MessageAttributeNames = msgAttrNames;
  const tagKeys = formList(form, 'TagKey', '');
  if (tagKeys.length) input.TagKeys = tagKeys;
  const ma = messageAttributes(form, 'MessageAttribute');
  if (ma) input.MessageAttributes = ma;
  const msa = messageAttributes(form, 'MessageSystemAttribute');
  if (msa) input.MessageSystemAttributes = msa;
  const entryPrefix = ENTRY_PREFIX[action];
  if (entryPrefix) {
    input.Entries = formStructList(form, entryPrefix, '').map((e) => {
      const entry: Record<string, unknown> = {};
      for (const [k, v] of e) if (!k.includes('.')) entry[k] = v;
      const ema = messageAttributes(e, 'MessageAttribute');
      if (ema) entry.MessageAttributes = ema;
      const emsa = messageAttributes(e, 'MessageSystemAttribute');
      if (emsa) entry.MessageSystemAttributes = emsa;
      return entry;
    });
  }
  return input;
}

// ---- JSON output => XML ------------------------------------------------------------------------------

const RESULT_ENTRY: Record<string, string> = {
  SendMessageBatch: 'SendMessageBatchResultEntry',
  DeleteMessageBatch: 'DeleteMessageBatchResultEntry',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibilityBatchResultEntry',
};

function fields(obj: Record<string, unknown>, action: string): string {
  let out = '';
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null) continue;
    switch (k) {
      case 'QueueUrls':
      case 'queueUrls':
        out += (v as string[]).map((u) => el('QueueUrl', u)).join('');
        break;
      case 'Attributes':
        out += Object.entries(v as Record<string, string>)
          .map(([n, x]) => `<Attribute>${el('Name', n)}${el('Value', x)}</Attribute>`)
          .join('');
        break;
      case 'Tags':
        out += Object.entries(v as Record<string, string>)
          .map(([n, x]) => `<Tag>${el('Key', n)}${el('Value', x)}</Tag>`)
          .join('');
        break;
      case 'MessageAttributes':
        out += Object.entries(v as Record<string, Record<string, string>>)
          .map(([n, x]) => `<MessageAttribute>${el('Name', n)}<Value>${fields(x, action)}</Value></MessageAttribute>`)
          .join('');
        break;
      case 'Messages':
        out += (v as Array<Record<string, unknown>>).map((m) => `<Message>${fields(m, action)}</Message>`).join('');
        break;
      case 'Successful':
        out += (v as Array<Record<string, unknown>>).map((e) => `<${RESULT_ENTRY[action]}>${fields(e, action)}</${RESULT_ENTRY[action]}>`).join('');
        break;
      case 'Failed':
        out += (v as Array<Record<string, unknown>>).map((e) => `<BatchResultErrorEntry>${fields(e, action)}</BatchResultErrorEntry>`).join('');
        break;
      case 'Results':
        out += (v as Array<Record<string, unknown>>).map((e) => `<ListMessageMoveTasksResultEntry>${fields(e, action)}</ListMessageMoveTasksResultEntry>`).join('');
        break;
      default:
        out += el(k, v as string | number | boolean);
    }
  }
  return out;
}

function send(res: ServerResponse, status: number, xml: string, reqId: string): void {
  const body = Buffer.from(xml, 'utf8');
  res.writeHead(status, { 'content-type': 'text/xml', 'content-length': String(body.length), 'x-amzn-requestid': reqId });
  res.end(body);
}

export async function handleQuery(req: IncomingMessage, res: ServerResponse, ctx: (signal: AbortSignal) => SqsContext, _region: string): Promise<void> {
  const reqId = requestId();
  const c = ctx(closeSignal(res));
  try {
    let form: Form;
    try {
      form = (await formOf(req))!;
    } catch (err) {
      if (err instanceof BodyTooLargeError) throw new SqsError('RequestEntityTooLarge', 'RequestEntityTooLarge', 'Request body too large.', 413);
      throw err;
    }
    const action = form.get('Action')!;
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    const pathQueueUrl = /^\/[^/]+\/[^/]+\/?$/.test(path) ? path : undefined;
    const op = OPERATIONS[action];
    if (!op) throw unsupportedOperation(`${action} is not supported by the local SQS: ${NOT_IMPLEMENTED[action]}.`);
    const out = (await op(c, inputFromForm(action, form, pathQueueUrl))) as Record<string, unknown>;
    c.store.flush();
    if (res.destroyed) return;
    const hasResult = Object.keys(out ?? {}).length > 0 || ['ReceiveMessage', 'ListQueues', 'GetQueueAttributes', 'ListQueueTags'].includes(action);
    send(res, 200, queryResponse(action, XMLNS, hasResult ? fields(out ?? {}, action) : undefined, reqId), reqId);
  } catch (err) {
    c.store.flush();
    if (!(err instanceof SqsError)) throw err;
    if (!res.destroyed) send(res, err.status, queryError(XMLNS, err.fault, err.code, err.message, reqId), reqId);
  }
}
