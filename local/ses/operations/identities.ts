// Email identities: CreateEmailIdentity, GetEmailIdentity, ListEmailIdentities, DeleteEmailIdentity.
// Locally every identity is verified at once (there is no DNS or inbox to verify against).
import { createHash } from 'node:crypto';
import { checkAddress } from '../addresses';
import { alreadyExists, badRequest, notFound } from '../errors';
import type { Identity } from '../store';
import { type SesContext, type Request, page, tags } from './context';

const DOMAIN = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

export function identityType(name: string): Identity['type'] {
  if (name.includes('@')) {
    checkAddress(name, 'EmailIdentity');
    return 'EMAIL_ADDRESS';
  }
  if (!DOMAIN.test(name)) throw badRequest(`Invalid email identity: ${name}`);
  return 'DOMAIN';
}

function dkim(i: Identity): Record<string, unknown> {
  if (i.type === 'EMAIL_ADDRESS') return { SigningEnabled: false, Status: 'NOT_STARTED', SigningAttributesOrigin: 'AWS_SES' };
  const token = (n: number) => createHash('sha256').update(`${i.name}/${n}`).digest('hex').slice(0, 32);
  return {
    SigningEnabled: true,
    Status: 'SUCCESS',
    Tokens: [token(1), token(2), token(3)],
    SigningAttributesOrigin: 'AWS_SES',
    CurrentSigningKeyLength: 'RSA_2048_BIT',
    NextSigningKeyLength: 'RSA_2048_BIT',
    LastKeyGenerationTimestamp: Math.floor(i.createdAt / 1000),
  };
}

export function putIdentity(ctx: SesContext, name: string, t: Identity['tags'], configurationSetName?: string): Identity {
  const i: Identity = { name, type: identityType(name), tags: t, createdAt: ctx.now() };
  if (configurationSetName) i.configurationSetName = configurationSetName;
  ctx.store.putIdentity(i);
  return i;
}

export function createEmailIdentity(ctx: SesContext, req: Request): unknown {
  const name = req.body.EmailIdentity;
  if (typeof name !== 'string' || !name) throw badRequest('EmailIdentity is required.');
  if (ctx.store.identities.has(name.toLowerCase())) throw alreadyExists(`Email identity ${name} already exist.`);
  const cs = req.body.ConfigurationSetName;
  if (typeof cs === 'string' && !ctx.store.configurationSets.has(cs)) throw notFound(`Configuration set <${cs}> does not exist.`);
  const i = putIdentity(ctx, name, tags(req.body.Tags), typeof cs === 'string' ? cs : undefined);
  return { IdentityType: i.type, VerifiedForSendingStatus: true, DkimAttributes: dkim(i) };
}

function mustGet(ctx: SesContext, name: string): Identity {
  const i = ctx.store.identities.get(name.toLowerCase());
  if (!i) throw notFound(`Email identity ${name} does not exist.`);
  return i;
}

export function getEmailIdentity(ctx: SesContext, req: Request): unknown {
  const i = mustGet(ctx, req.params.EmailIdentity!);
  const out: Record<string, unknown> = {
    IdentityType: i.type,
    FeedbackForwardingStatus: true,
    VerifiedForSendingStatus: true,
    DkimAttributes: dkim(i),
    MailFromAttributes: { BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
    Policies: {},
    Tags: i.tags,
    VerificationStatus: 'SUCCESS',
  };
  if (i.configurationSetName) out.ConfigurationSetName = i.configurationSetName;
  return out;
}

export function listEmailIdentities(ctx: SesContext, req: Request): unknown {
  const all = [...ctx.store.identities.values()].sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name));
  const p = page(all, { NextToken: req.body.NextToken ?? req.query.get('NextToken'), PageSize: req.body.PageSize ?? req.query.get('PageSize') });
  const out: Record<string, unknown> = {
    EmailIdentities: p.items.map((i) => ({ IdentityType: i.type, IdentityName: i.name, SendingEnabled: true, VerificationStatus: 'SUCCESS' })),
  };
  if (p.next) out.NextToken = p.next;
  return out;
}

export function deleteEmailIdentity(ctx: SesContext, req: Request): unknown {
  const i = mustGet(ctx, req.params.EmailIdentity!);
  ctx.store.deleteIdentity(i.name);
  return {};
}
