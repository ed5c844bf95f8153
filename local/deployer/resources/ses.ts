/** Amazon SES v2 identities, templates and configuration sets on the local SES (sent mail is kept for inspection). */
import { generatedName, nameOr } from '../physical-ids';
import type { ResourceModule } from '../types';

export const sesEmailIdentity: ResourceModule = {
  types: ['AWS::SES::EmailIdentity'],
  effect: 'emulated',
  needs: 'ses',
  ref: (r) => nameOr(r, 'EmailIdentity'),
  async deploy(r, ctx) {
    const { Ref, Attributes } = ctx.services.ses!.deployEmailIdentity(r.properties);
    return { Ref, ...Attributes };
  },
};

export const sesTemplate: ResourceModule = {
  types: ['AWS::SES::Template'],
  effect: 'emulated',
  needs: 'ses',
  ref: (r) => {
    const t = r.rawProperties.Template as { TemplateName?: unknown } | undefined;
    return typeof t?.TemplateName === 'string' ? t.TemplateName : generatedName(r);
  },
  async deploy(r, ctx) {
    return { Ref: ctx.services.ses!.deployTemplate(r.properties, { name: r.ref }).Ref };
  },
};

export const sesConfigurationSet: ResourceModule = {
  types: ['AWS::SES::ConfigurationSet'],
  effect: 'emulated',
  needs: 'ses',
  ref: (r) => nameOr(r, 'Name'),
  async deploy(r, ctx) {
    return { Ref: ctx.services.ses!.deployConfigurationSet(r.properties, { name: r.ref }).Ref };
  },
};
