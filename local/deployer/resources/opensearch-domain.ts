/** AWS::OpenSearchService::Domain: the local search engine already runs; its endpoint is the domain's. */
import { arn } from '../physical-ids';
import type { ResourceModule } from '../types';

export const openSearchDomain: ResourceModule = {
  types: ['AWS::OpenSearchService::Domain'],
  effect: 'emulated',
  needs: 'opensearch',
  ref: (r) => (typeof r.rawProperties.DomainName === 'string' ? r.rawProperties.DomainName : r.logicalId.toLowerCase().replace(/[^a-z0-9-]/g, '').slice(0, 28)),
  attribute: (r, name) => (name === 'Arn' || name === 'DomainArn' ? arn(r, 'es', `domain/${r.ref}`) : undefined),
  async deploy(_r, ctx) {
    return { DomainEndpoint: ctx.services.opensearch!.hostPort };
  },
};
