/** AWS::ElastiCache::ServerlessCache: the local Redis already runs; its address is the cache's endpoint. */
import { arn, generatedName, nameOr } from '../physical-ids';
import type { ResourceModule } from '../types';

export const serverlessCache: ResourceModule = {
  types: ['AWS::ElastiCache::ServerlessCache'],
  effect: 'emulated',
  needs: 'redis',
  ref: (r) => nameOr(r, 'ServerlessCacheName', generatedName(r).toLowerCase()),
  attribute: (r, name) => (name === 'Arn' ? arn(r, 'elasticache', `serverlesscache:${r.ref}`) : undefined),
  async deploy(_r, ctx) {
    const { host, port } = ctx.services.redis!;
    return {
      'Endpoint.Address': host,
      'Endpoint.Port': String(port),
      'ReaderEndpoint.Address': host,
      'ReaderEndpoint.Port': String(port),
    };
  },
};
