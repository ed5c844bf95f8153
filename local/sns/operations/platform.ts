/**
 * Mobile push: platform applications (CreatePlatformApplication, Get/SetPlatformApplicationAttributes,
 * ListPlatformApplications, DeletePlatformApplication) and their endpoints (CreatePlatformEndpoint,
 * Get/SetEndpointAttributes, DeleteEndpoint, ListEndpointsByPlatformApplication). Nothing is
 * pushed anywhere: what is published to an endpoint is kept for /_aws/sns/platform-endpoint-messages.
 */
import { randomUUID } from 'node:crypto';
import { XmlMap } from '../../aws-shared/xml';
import { invalidParameter, notFound } from '../errors';
import type { PlatformApplication, PlatformEndpoint } from '../model';
import { type Params, type SnsContext, paginate } from './context';

const PLATFORMS = new Set(['ADM', 'APNS', 'APNS_SANDBOX', 'BAIDU', 'GCM', 'MPNS', 'WNS']);
/** Credentials are write-only on SNS: never returned. */
const SECRET = new Set(['PlatformCredential', 'PlatformPrincipal']);

function mustGetApp(ctx: SnsContext, arn: string): PlatformApplication {
  const a = ctx.store.applications.get(arn);
  if (!a) throw notFound('PlatformApplication does not exist');
  return a;
}

function mustGetEndpoint(ctx: SnsContext, arn: string): PlatformEndpoint {
  const e = ctx.store.endpoints.get(arn);
  if (!e) throw notFound('Endpoint does not exist');
  return e;
}

function visible(attrs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(attrs).filter(([k]) => !SECRET.has(k)));
}

export function createPlatformApplication(ctx: SnsContext, p: Params): unknown {
  const name = p.required('Name');
  const platform = p.required('Platform');
  const attrs = p.map('Attributes');
  if (!/^[A-Za-z0-9_.-]{1,256}$/.test(name)) throw invalidParameter('Name');
  if (!PLATFORMS.has(platform)) throw invalidParameter(`Platform Reason: ${platform} is not supported`);
  if (!attrs.PlatformCredential) throw invalidParameter('Attributes Reason: PlatformCredential attribute is required');
  if ((platform === 'APNS' || platform === 'APNS_SANDBOX') && !attrs.PlatformPrincipal && !attrs.ApplePlatformTeamID)
    throw invalidParameter('Attributes Reason: PlatformPrincipal attribute is required');
  const arn = `arn:aws:sns:${ctx.region}:${ctx.accountId}:app/${platform}/${name}`;
  const app: PlatformApplication = { arn, name, platform, attributes: { Enabled: 'true', ...attrs } };
  ctx.store.record({ t: 'app', v: app });
  return { PlatformApplicationArn: arn };
}

export function getPlatformApplicationAttributes(ctx: SnsContext, p: Params): unknown {
  return { Attributes: new XmlMap(visible(mustGetApp(ctx, p.required('PlatformApplicationArn')).attributes)) };
}

export function setPlatformApplicationAttributes(ctx: SnsContext, p: Params): unknown {
  const app = mustGetApp(ctx, p.required('PlatformApplicationArn'));
  Object.assign(app.attributes, p.map('Attributes'));
  ctx.store.record({ t: 'app', v: app });
  return {};
}

export function listPlatformApplications(ctx: SnsContext, p: Params): unknown {
  const page = paginate([...ctx.store.applications.values()], p.get('NextToken'));
  return { PlatformApplications: page.items.map((a) => ({ PlatformApplicationArn: a.arn, Attributes: new XmlMap(visible(a.attributes)) })), NextToken: page.next };
}

export function deletePlatformApplication(ctx: SnsContext, p: Params): unknown {
  const arn = p.required('PlatformApplicationArn');
  for (const e of [...ctx.store.endpoints.values()]) if (e.applicationArn === arn) ctx.store.record({ t: 'epd', arn: e.arn });
  if (ctx.store.applications.has(arn)) ctx.store.record({ t: 'appd', arn });
  return {};
}

/** CreatePlatformEndpoint is idempotent on the token: the same token and attributes give the same endpoint. */
export function createPlatformEndpoint(ctx: SnsContext, p: Params): unknown {
  const app = mustGetApp(ctx, p.required('PlatformApplicationArn'));
  const token = p.required('Token');
  const custom = p.get('CustomUserData');
  const attrs: Record<string, string> = { Enabled: 'true', ...p.map('Attributes'), Token: token };
  if (custom !== undefined) attrs.CustomUserData = custom;
  const existing = [...ctx.store.endpoints.values()].find((e) => e.applicationArn === app.arn && e.attributes.Token === token);
  if (existing) {
    const same = Object.entries(attrs).every(([k, v]) => existing.attributes[k] === v);
    if (!same) throw invalidParameter(`Token Reason: Endpoint ${existing.arn} already exists with the same Token, but different attributes.`);
    return { EndpointArn: existing.arn };
  }
  const arn = `arn:aws:sns:${ctx.region}:${ctx.accountId}:endpoint/${app.platform}/${app.name}/${randomUUID()}`;
  ctx.store.record({ t: 'ep', v: { arn, applicationArn: app.arn, attributes: attrs } });
  return { EndpointArn: arn };
}

export function getEndpointAttributes(ctx: SnsContext, p: Params): unknown {
  return { Attributes: new XmlMap(mustGetEndpoint(ctx, p.required('EndpointArn')).attributes) };
}

export function setEndpointAttributes(ctx: SnsContext, p: Params): unknown {
  const e = mustGetEndpoint(ctx, p.required('EndpointArn'));
  const attrs = p.map('Attributes');
  for (const k of Object.keys(attrs)) if (!['CustomUserData', 'Enabled', 'Token'].includes(k)) throw invalidParameter(`Attributes Reason: Invalid attribute name: ${k}`);
  if (attrs.Enabled !== undefined && attrs.Enabled !== 'true' && attrs.Enabled !== 'false') throw invalidParameter('Attributes Reason: Enabled must be true or false');
  Object.assign(e.attributes, attrs);
  ctx.store.record({ t: 'ep', v: e });
  return {};
}

export function deleteEndpoint(ctx: SnsContext, p: Params): unknown {
  const arn = p.required('EndpointArn');
  if (ctx.store.endpoints.has(arn)) ctx.store.record({ t: 'epd', arn }); // deleting twice succeeds, as on AWS
  return {};
}

export function listEndpointsByPlatformApplication(ctx: SnsContext, p: Params): unknown {
  const app = mustGetApp(ctx, p.required('PlatformApplicationArn'));
  const page = paginate(
    [...ctx.store.endpoints.values()].filter((e) => e.applicationArn === app.arn),
    p.get('NextToken'),
  );
  return { Endpoints: page.items.map((e) => ({ EndpointArn: e.arn, Attributes: new XmlMap(e.attributes) })), NextToken: page.next };
}
