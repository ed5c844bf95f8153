/** Amazon SNS topics and subscriptions on the local SNS (SMS, push and email are kept for inspection). */
import { arn, generatedName, nameOr } from '../physical-ids';
import type { ResourceIdentity, ResourceModule } from '../types';

const topicName = (r: ResourceIdentity) =>
  nameOr(r, 'TopicName', `${generatedName(r).slice(0, 250)}${r.rawProperties.FifoTopic === true || r.rawProperties.FifoTopic === 'true' ? '.fifo' : ''}`);

export const snsTopic: ResourceModule = {
  types: ['AWS::SNS::Topic'],
  effect: 'emulated',
  needs: 'sns',
  // the Ref of a topic is its ARN
  ref: (r) => arn(r, 'sns', topicName(r)),
  attribute: (r, name) => (name === 'TopicArn' ? r.ref : name === 'TopicName' ? r.ref.split(':').pop() : undefined),
  async deploy(r, ctx) {
    const t = ctx.services.sns!.deployTopic(r.properties, { name: topicName(r) });
    return { Ref: t.TopicArn, TopicArn: t.TopicArn, TopicName: t.TopicName };
  },
};

export const snsSubscription: ResourceModule = {
  types: ['AWS::SNS::Subscription'],
  effect: 'emulated',
  needs: 'sns',
  async deploy(r, ctx) {
    const s = ctx.services.sns!.deploySubscription(r.properties);
    return { Ref: s.SubscriptionArn, Arn: s.SubscriptionArn };
  },
};

/** Topic policies: not enforced locally (IAM is checked by cdk-nag and the infra tests). */
export const snsTopicPolicy: ResourceModule = { types: ['AWS::SNS::TopicPolicy', 'AWS::SNS::TopicInlinePolicy'], effect: 'inert' };
