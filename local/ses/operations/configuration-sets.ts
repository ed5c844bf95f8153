// Configuration sets, by name only (event destinations, tracking and delivery options are not
// emulated): CreateConfigurationSet, GetConfigurationSet, ListConfigurationSets,
// DeleteConfigurationSet. SendEmail checks that a named set exists, as SES does.
import { alreadyExists, badRequest, notFound } from '../errors';
import { type SesContext, type Request, page, tags } from './context';

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function putConfigurationSet(ctx: SesContext, name: string, t: ReturnType<typeof tags>): void {
  if (!NAME.test(name)) throw badRequest(`Invalid configuration set name <${name}>.`);
  ctx.store.putConfigurationSet({ name, tags: t, createdAt: ctx.store.configurationSets.get(name)?.createdAt ?? ctx.now() });
}

export function createConfigurationSet(ctx: SesContext, req: Request): unknown {
  const name = req.body.ConfigurationSetName;
  if (typeof name !== 'string' || !name) throw badRequest('ConfigurationSetName is required.');
  if (ctx.store.configurationSets.has(name)) throw alreadyExists(`Configuration set <${name}> already exists.`);
  putConfigurationSet(ctx, name, tags(req.body.Tags));
  return {};
}

export function getConfigurationSet(ctx: SesContext, req: Request): unknown {
  const c = ctx.store.configurationSets.get(req.params.ConfigurationSetName!);
  if (!c) throw notFound(`Configuration set <${req.params.ConfigurationSetName}> does not exist.`);
  return { ConfigurationSetName: c.name, Tags: c.tags, SendingOptions: { SendingEnabled: true }, ReputationOptions: { ReputationMetricsEnabled: false } };
}

export function listConfigurationSets(ctx: SesContext, req: Request): unknown {
  const p = page([...ctx.store.configurationSets.keys()], { NextToken: req.query.get('NextToken'), PageSize: req.query.get('PageSize') });
  const out: Record<string, unknown> = { ConfigurationSets: p.items };
  if (p.next) out.NextToken = p.next;
  return out;
}

export function deleteConfigurationSet(ctx: SesContext, req: Request): unknown {
  const name = req.params.ConfigurationSetName!;
  if (!ctx.store.configurationSets.has(name)) throw notFound(`Configuration set <${name}> does not exist.`);
  ctx.store.deleteConfigurationSet(name);
  return {};
}
