/** AWS::SQS::Queue: named as SQS names queues (its Ref is the queue URL). */
import { arn, nameOr } from '../physical-ids';
import type { ResourceModule } from '../types';

export const sqsQueue: ResourceModule = {
  types: ['AWS::SQS::Queue'],
  effect: 'emulated',
  needs: 'sqs',
  ref: (r) => `http://sqs.${r.region}.localhost/${r.accountId}/${nameOr(r, 'QueueName')}`,
  attribute: (r, name) => {
    const queueName = r.ref.split('/').pop()!;
    if (name === 'Arn') return arn(r, 'sqs', queueName);
    if (name === 'QueueName') return queueName;
    return undefined;
  },
  async deploy(r, ctx) {
    await ctx.services.sqs!.deployQueue(r.ref, r.properties);
  },
};
