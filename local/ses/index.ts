/**
 * The local Amazon SES v2: a factory that the local cloud calls with its data folder, region and
 * account; it returns the edge route (the REST-JSON API under /v2/email/ and LocalStack's
 * /_aws/ses inspection endpoint), the deploy-time calls for AWS::SES::EmailIdentity,
 * AWS::SES::Template and AWS::SES::ConfigurationSet, and `close()`. See README.md.
 */
import { bufferedBody, BodyTooLargeError } from '../aws-shared/body';
import { requestId } from '../aws-shared/ids';
import type { EdgeRoute } from '../edge';
import { SesError } from './errors';
import { INSPECTION_PATH, handleInspection } from './inspection';
import type { SesContext } from './operations/context';
import { putConfigurationSet } from './operations/configuration-sets';
import { putIdentity } from './operations/identities';
import { putTemplate } from './operations/templates';
import { match } from './registry';
import { type SentEmail, SesStore } from './store';

export type { SentEmail } from './store';

export interface SesOptions {
  dataDir: string;
  region: string;
  accountId: string;
  clock?: () => number;
  log?: (m: string) => void;
  /** like a new AWS account: recipients must be verified too, 200 messages a day (default false) */
  sandbox?: boolean;
  /** how many sent messages are kept for /_aws/ses (oldest dropped first; default 10,000) */
  maxSentMessages?: number;
}

export interface SesEmulator {
  route: EdgeRoute;
  /** AWS::SES::EmailIdentity: creates the identity, verified at once. Returns Ref and GetAtt values. */
  deployEmailIdentity(props: Record<string, unknown>): { Ref: string; Attributes: Record<string, string> };
  /** AWS::SES::Template (Template.TemplateName/SubjectPart/TextPart/HtmlPart). `name` when TemplateName is absent. */
  deployTemplate(props: Record<string, unknown>, opts?: { name?: string }): { Ref: string };
  /** AWS::SES::ConfigurationSet (Name). `name` when Name is absent. */
  deployConfigurationSet(props: Record<string, unknown>, opts?: { name?: string }): { Ref: string };
  /** What /_aws/ses shows, in process. */
  sentMessages(filter?: { id?: string; email?: string }): SentEmail[];
  close(): Promise<void>;
}

function sendJson(res: import('node:http').ServerResponse, status: number, body: unknown, reqId: string, errorType?: string): void {
  const buf = Buffer.from(JSON.stringify(body));
  const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(buf.length), 'x-amzn-requestid': reqId };
  if (errorType) headers['x-amzn-errortype'] = errorType;
  res.writeHead(status, headers);
  res.end(buf);
}

export function createSesEmulator(opts: SesOptions): SesEmulator {
  const log = opts.log ?? (() => {});
  const store = new SesStore(opts.dataDir, opts.maxSentMessages ?? 10_000, log);
  const ctx: SesContext = { store, region: opts.region, accountId: opts.accountId, now: opts.clock ?? Date.now, sandbox: opts.sandbox ?? false };

  const route: EdgeRoute = async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname === INSPECTION_PATH || url.pathname === `${INSPECTION_PATH}/`) {
      handleInspection(store, req, res, url);
      return true;
    }
    if (!url.pathname.startsWith('/v2/email/')) return false;
    const reqId = requestId();
    try {
      const m = match(req.method ?? 'GET', url.pathname);
      if (!('route' in m)) {
        if (m.pathKnown) throw new SesError('MethodNotAllowedException', `Method ${req.method} is not allowed on ${url.pathname}.`, 405);
        throw new SesError('UnknownOperationException', `The local SES does not serve ${req.method} ${url.pathname}.`, 404);
      }
      let body: Record<string, unknown> = {};
      try {
        const raw = await bufferedBody(req, 48 * 1024 * 1024);
        if (raw.length) body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
        if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
      } catch (err) {
        if (err instanceof BodyTooLargeError) throw new SesError('BadRequestException', 'Request body is too large.', 413);
        throw new SesError('SerializationException', 'The request body is not a JSON object.', 400);
      }
      const out = await m.route.op(ctx, { params: m.params, query: url.searchParams, body });
      store.flush();
      sendJson(res, 200, out ?? {}, reqId);
    } catch (err) {
      store.flush();
      if (!(err instanceof SesError)) throw err;
      sendJson(res, err.status, { message: err.message }, reqId, err.type);
    }
    return true;
  };

  return {
    route,
    deployEmailIdentity(props) {
      const name = props.EmailIdentity;
      if (typeof name !== 'string' || !name) throw new Error('deployEmailIdentity: EmailIdentity is required');
      const cs = (props.ConfigurationSetAttributes as { ConfigurationSetName?: string } | undefined)?.ConfigurationSetName;
      const existing = store.identities.get(name.toLowerCase());
      const i = putIdentity(ctx, name, existing?.tags ?? [], cs);
      if (existing) i.createdAt = existing.createdAt;
      const attrs: Record<string, string> = {};
      if (i.type === 'DOMAIN') {
        // the GetAtt values of AWS::SES::EmailIdentity: the three DKIM CNAME records
        for (let n = 1; n <= 3; n++) {
          attrs[`DkimDNSTokenName${n}`] = `token${n}._domainkey.${name}`;
          attrs[`DkimDNSTokenValue${n}`] = `token${n}.dkim.amazonses.com`;
        }
      }
      return { Ref: name, Attributes: attrs };
    },
    deployTemplate(props, o = {}) {
      const t = (props.Template ?? {}) as Record<string, string | undefined>;
      const name = t.TemplateName ?? o.name;
      if (!name) throw new Error('deployTemplate: the template has no TemplateName and no name was given');
      putTemplate(ctx, name, { Subject: t.SubjectPart, Text: t.TextPart, Html: t.HtmlPart }, store.templates.get(name)?.tags ?? []);
      return { Ref: name };
    },
    deployConfigurationSet(props, o = {}) {
      const name = typeof props.Name === 'string' ? props.Name : o.name;
      if (!name) throw new Error('deployConfigurationSet: the configuration set has no Name and no name was given');
      putConfigurationSet(ctx, name, store.configurationSets.get(name)?.tags ?? []);
      return { Ref: name };
    },
    sentMessages(filter = {}) {
      return [...store.sent.values()].filter((m) => (!filter.id || m.Id === filter.id) && (!filter.email || m.Source === filter.email));
    },
    async close() {
      store.close();
    },
  };
}
