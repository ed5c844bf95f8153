/**
 * SNS over the query protocol, which @aws-sdk/client-sns 3.1169 still speaks: a form
 * (`Action=Publish&Version=2010-03-31&...`) POSTed to `/`, answered in XML (non-flattened lists
 * as `<member>`, maps as `<entry><key/><value/></entry>`); errors as the XML ErrorResponse with
 * the model's query code and status. GETs with the form in the query string are accepted too,
 * which is how the UnsubscribeURL and SubscribeURL of SNS messages work.
 *
 * How the route knows a request is SNS's: a SigV4 credential scope naming `sns`, or, unsigned,
 * `Version=2010-03-31` with an SNS action (or a bare GET of Unsubscribe/ConfirmSubscription). It
 * reads the body only of form POSTs and keeps it for the next route (aws-shared/body.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, bufferedBody, isFormPost, signingService } from '../aws-shared/body';
import { type Form, parseForm } from '../aws-shared/form';
import { requestId } from '../aws-shared/ids';
import { queryError, queryResponse, toXml } from '../aws-shared/xml';
import { SnsError, invalidParameter } from './errors';
import { Params, type SnsContext } from './operations/context';
import { NOT_IMPLEMENTED, OPERATIONS, UNIT_OUTPUT } from './registry';

export const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const VERSION = '2010-03-31';
const ACTIONS = new Set([...Object.keys(OPERATIONS), ...Object.keys(NOT_IMPLEMENTED)]);
const URL_ACTIONS = new Set(['Unsubscribe', 'ConfirmSubscription']);

async function formOf(req: IncomingMessage): Promise<Form | undefined> {
  if (isFormPost(req)) return parseForm((await bufferedBody(req, 2 * 1024 * 1024)).toString('utf8'));
  if (req.method === 'GET' && req.url?.includes('Action=')) return parseForm(new URL(req.url, 'http://local').search.slice(1));
  return undefined;
}

export async function isSnsRequest(req: IncomingMessage): Promise<boolean> {
  if (req.headers['x-amz-target']) return false;
  const service = signingService(req);
  if (service && service !== 'sns') return false;
  if (!isFormPost(req) && !(req.method === 'GET' && req.url?.includes('Action='))) return false;
  // unsigned: only `/` can be SNS's, so no other route's body is ever read here
  if (!service && !/^\/(\?|$)/.test(req.url ?? '/')) return false;
  let form: Form | undefined;
  try {
    form = await formOf(req);
  } catch (err) {
    if (err instanceof BodyTooLargeError) return service === 'sns';
    throw err;
  }
  const action = form?.get('Action');
  if (!action || !ACTIONS.has(action)) return false;
  if (service === 'sns' || form!.get('Version') === VERSION) return true;
  return req.method === 'GET' && URL_ACTIONS.has(action) && !form!.has('Version');
}

function send(res: ServerResponse, status: number, xml: string, reqId: string): void {
  const body = Buffer.from(xml, 'utf8');
  res.writeHead(status, { 'content-type': 'text/xml', 'content-length': String(body.length), 'x-amzn-requestid': reqId });
  res.end(body);
}

export async function handleSns(req: IncomingMessage, res: ServerResponse, ctx: SnsContext): Promise<void> {
  const reqId = requestId();
  try {
    let form: Form;
    try {
      form = (await formOf(req))!;
    } catch (err) {
      if (err instanceof BodyTooLargeError) throw invalidParameter('Message too long');
      throw err;
    }
    const action = form.get('Action')!;
    const op = OPERATIONS[action];
    if (!op) throw invalidParameter(`Action Reason: ${action} is not supported by the local SNS: ${NOT_IMPLEMENTED[action]}`);
    const out = (await op(ctx, new Params(form))) as Record<string, unknown>;
    ctx.store.flush();
    send(res, 200, queryResponse(action, XMLNS, UNIT_OUTPUT.has(action) ? undefined : toXml(out ?? {}), reqId), reqId);
  } catch (err) {
    ctx.store.flush();
    if (!(err instanceof SnsError)) throw err;
    send(res, err.status, queryError(XMLNS, err.fault, err.code, err.message, reqId), reqId);
  }
}
