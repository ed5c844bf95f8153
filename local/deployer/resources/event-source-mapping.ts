/**
 * AWS::Lambda::EventSourceMapping: recorded for the local cloud, which starts a poller per
 * mapping (local/esm: DynamoDB Streams and Kafka) once every function is deployed.
 */
import { shortId } from '../physical-ids';
import type { ResourceModule } from '../types';

export const eventSourceMapping: ResourceModule = {
  types: ['AWS::Lambda::EventSourceMapping'],
  effect: 'emulated',
  needs: 'lambda',
  // a UUID, as Lambda gives; deterministic so that checkpoints and offsets are found after a restart
  ref: (r) =>
    `${shortId(`${r.stackName}/${r.logicalId}`, 8)}-${shortId(`${r.logicalId}/esm`, 4)}-4000-8000-${shortId(`${r.logicalId}/uuid`, 12)}`,
  async deploy(r, ctx) {
    const functionName = String(r.properties.FunctionName).split(':function:').pop()!.split(':')[0]!;
    ctx.outputs.mappings.push({ uuid: r.ref, functionName, eventSourceArn: String(r.properties.EventSourceArn), properties: r.properties });
  },
};
