/** Amazon EventBridge buses, rules (with their targets and schedules) and archives on the local EventBridge. */
import { arn, nameOr } from '../physical-ids';
import type { ResourceModule } from '../types';

const ruleName = (r: Parameters<NonNullable<ResourceModule['ref']>>[0]) => nameOr(r, 'Name').slice(0, 64);

export const eventBus: ResourceModule = {
  types: ['AWS::Events::EventBus'],
  effect: 'emulated',
  needs: 'eventbridge',
  ref: (r) => nameOr(r, 'Name'),
  attribute: (r, name) => (name === 'Arn' ? arn(r, 'events', `event-bus/${r.ref}`) : name === 'Name' ? r.ref : undefined),
  async deploy(r, ctx) {
    const { Ref, Arn, Name } = ctx.services.eventbridge!.deployBus({ ...r.properties, Name: r.ref } as never);
    return { Ref, Arn, Name };
  },
};

export const eventRule: ResourceModule = {
  types: ['AWS::Events::Rule'],
  effect: 'emulated',
  needs: 'eventbridge',
  // on a custom bus CloudFormation answers "bus|name"; known once the rule is created (deploy returns it)
  ref: ruleName,
  attribute: (r, name) => (name === 'Arn' ? arn(r, 'events', `rule/${r.ref.split('|').pop()}`) : undefined),
  async deploy(r, ctx) {
    const { Ref, Arn } = ctx.services.eventbridge!.deployRule({ ...r.properties, Name: r.properties.Name ?? r.ref } as never);
    return { Ref, Arn };
  },
};

export const eventArchive: ResourceModule = {
  types: ['AWS::Events::Archive'],
  effect: 'emulated',
  needs: 'eventbridge',
  ref: (r) => nameOr(r, 'ArchiveName').slice(0, 48),
  attribute: (r, name) => (name === 'Arn' ? arn(r, 'events', `archive/${r.ref}`) : name === 'ArchiveName' ? r.ref : undefined),
  async deploy(r, ctx) {
    const { Ref, Arn } = await ctx.services.eventbridge!.deployArchive({ ...r.properties, ArchiveName: r.ref } as never);
    return { Ref, Arn };
  },
};
