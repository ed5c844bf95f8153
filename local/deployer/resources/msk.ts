/** Amazon MSK clusters and topics on the local Kafka broker. */
import { nameOr, shortId } from '../physical-ids';
import type { ResourceModule } from '../types';

export const mskCluster: ResourceModule = {
  types: ['AWS::MSK::ServerlessCluster', 'AWS::MSK::Cluster'],
  effect: 'emulated',
  needs: 'kafka',
  ref: (r) => `arn:aws:kafka:${r.region}:${r.accountId}:cluster/${nameOr(r, 'ClusterName')}/${shortId(`${r.stackName}/${r.logicalId}`, 8)}-local`,
  attribute: (r, name) => (name === 'Arn' ? r.ref : undefined),
  async deploy(r, ctx) {
    ctx.outputs.kafkaClusters.set(r.ref, ctx.services.kafka!.bootstrap);
  },
};

export const mskTopic: ResourceModule = {
  types: ['AWS::MSK::Topic'],
  effect: 'emulated',
  needs: 'kafka',
  async deploy(r, ctx) {
    await ctx.services.kafka!.createTopic(r.properties.TopicName, Number(r.properties.PartitionCount));
  },
};
