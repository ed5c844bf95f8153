/**
 * AWS::SQS::Queue on the local SQS. Its Ref is the queue URL, on the edge endpoint (a client with
 * only AWS_ENDPOINT_URL set sends a request to its QueueUrl's host), known once the queue exists.
 */
import { arn, generatedName, nameOr } from '../physical-ids';
import type { ResourceIdentity, ResourceModule } from '../types';

/** CloudFormation's name for the queue: its QueueName, else generated (with .fifo for a FIFO queue). */
const queueName = (r: ResourceIdentity) => nameOr(r, 'QueueName', `${generatedName(r).slice(0, 75)}${r.rawProperties.FifoQueue === true || r.rawProperties.FifoQueue === 'true' ? '.fifo' : ''}`);

export const sqsQueue: ResourceModule = {
  types: ['AWS::SQS::Queue'],
  effect: 'emulated',
  needs: 'sqs',
  ref: (r) => `http://sqs.${r.region}.localhost/${r.accountId}/${queueName(r)}`,
  attribute: (r, name) => {
    const queue = r.ref.split('/').pop()!;
    if (name === 'Arn') return arn(r, 'sqs', queue);
    if (name === 'QueueName') return queue;
    if (name === 'QueueUrl') return r.ref;
    return undefined;
  },
  async deploy(r, ctx) {
    const q = ctx.services.sqs!.deployQueue(r.properties, { name: queueName(r) });
    return { Ref: q.QueueUrl, Arn: q.Arn, QueueName: q.QueueName, QueueUrl: q.QueueUrl };
  },
};

/** Queue policies: stored by AWS, checked by cdk-nag and the infra tests, not enforced locally. */
export const sqsQueuePolicy: ResourceModule = { types: ['AWS::SQS::QueuePolicy'], effect: 'inert' };
