/**
 * LocalStack's SNS inspection endpoints, in its shapes, so tools written for LocalStack work:
 *
 *   GET    /_aws/sns/sms-messages[?phoneNumber=]          {"sms_messages": {"<phone>": [...]}, "region": "..."}
 *   DELETE /_aws/sns/sms-messages[?phoneNumber=]          204
 *   GET    /_aws/sns/platform-endpoint-messages[?endpointArn=]
 *                                                         {"platform_endpoint_messages": {"<arn>": [...]}, "region": "..."}
 *   DELETE /_aws/sns/platform-endpoint-messages[?endpointArn=]  204
 *   GET    /_aws/sns/subscription-tokens/<subscription arn>
 *                                                         {"subscription_token": "...", "subscription_arn": "..."}, 404 or 400
 * and one of this emulator's own, in the same style (LocalStack keeps no emails of SNS):
 *   GET    /_aws/sns/email-messages[?endpoint=]           {"email_messages": {"<address>": [...]}, "region": "..."}
 *   DELETE /_aws/sns/email-messages                        204
 * and the local switch that makes a channel fail:
 *   GET    /_local/sns/faults                              {"sms": "InternalError"} (the channels that fail)
 *   PUT    /_local/sns/faults  {"sms": "InternalError", "application": null}  sets or clears them
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bufferedBody } from '../aws-shared/body';
import type { Delivery, FaultChannel } from './delivery';
import type { SnsStore } from './store';

function json(res: ServerResponse, status: number, doc: unknown): void {
  const body = Buffer.from(JSON.stringify(doc));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(body.length) });
  res.end(body);
}

function grouped<T>(items: T[], key: (t: T) => string): Record<string, T[]> {
  const out: Record<string, T[]> = {};
  for (const i of items) (out[key(i)] ??= []).push(i);
  return out;
}

export async function handleInspection(store: SnsStore, delivery: Delivery, region: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://local');
  const path = url.pathname.replace(/\/+$/, '');
  const q = url.searchParams;
  if (path === '/_aws/sns/sms-messages') {
    const phone = q.get('phoneNumber');
    if (req.method === 'DELETE') {
      store.record({ t: 'smsclear', phone: phone ?? undefined });
      store.flush();
      res.writeHead(204).end();
    } else if (phone) json(res, 200, { sms_messages: { [phone]: store.sms.filter((m) => m.PhoneNumber === phone) }, region });
    else json(res, 200, { sms_messages: grouped(store.sms, (m) => m.PhoneNumber), region });
    return true;
  }
  if (path === '/_aws/sns/platform-endpoint-messages') {
    const arn = q.get('endpointArn');
    if (req.method === 'DELETE') {
      store.record({ t: 'pushclear', arn: arn ?? undefined });
      store.flush();
      res.writeHead(204).end();
    } else if (arn) json(res, 200, { platform_endpoint_messages: { [arn]: store.push.filter((m) => m.TargetArn === arn) }, region: arn.split(':')[3] ?? region });
    else json(res, 200, { platform_endpoint_messages: grouped(store.push, (m) => m.TargetArn), region });
    return true;
  }
  if (path === '/_aws/sns/email-messages') {
    const endpoint = q.get('endpoint');
    if (req.method === 'DELETE') {
      store.record({ t: 'emailclear' });
      store.flush();
      res.writeHead(204).end();
    } else json(res, 200, { email_messages: grouped(store.email.filter((m) => !endpoint || m.Endpoint === endpoint), (m) => m.Endpoint), region });
    return true;
  }
  if (path.startsWith('/_aws/sns/subscription-tokens/')) {
    const arn = decodeURIComponent(path.slice('/_aws/sns/subscription-tokens/'.length));
    if (!/^arn:aws:sns:[^:]+:\d{12}:.+/.test(arn)) {
      json(res, 400, { error: 'The provided SubscriptionARN is invalid', subscription_arn: arn });
      return true;
    }
    const s = store.subscriptions.get(arn);
    if (!s?.token) json(res, 404, { error: 'The provided SubscriptionARN is not found', subscription_arn: arn });
    else json(res, 200, { subscription_token: s.token, subscription_arn: arn });
    return true;
  }
  if (path === '/_local/sns/faults') {
    if (req.method === 'PUT' || req.method === 'POST') {
      let doc: Record<string, unknown>;
      try {
        doc = JSON.parse((await bufferedBody(req)).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        json(res, 400, { error: 'the body must be a JSON object like {"sms": "InternalError"}' });
        return true;
      }
      for (const [k, v] of Object.entries(doc)) {
        if (k !== 'sms' && k !== 'application' && k !== 'email') {
          json(res, 400, { error: `unknown channel ${k}; the channels are sms, application and email` });
          return true;
        }
        if (v === null || v === false || v === '') delete delivery.faults[k as FaultChannel];
        else delivery.faults[k as FaultChannel] = typeof v === 'string' ? v : 'InternalError';
      }
    }
    json(res, 200, { ...delivery.faults });
    return true;
  }
  return false;
}
