/**
 * Types whose only effect in AWS is permissions, logging, networking or bookkeeping. Locally
 * every service listens on 127.0.0.1 and IAM is checked by cdk-nag and the infra tests, not
 * enforced, so these are accepted and listed at start-up, never silently skipped.
 */
import { arn, generatedName, nameOr, shortId } from '../physical-ids';
import type { ResourceModule } from '../types';

export const iam: ResourceModule = {
  types: ['AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'],
  effect: 'inert',
  ref: (r) => (r.type === 'AWS::IAM::Role' ? nameOr(r, 'RoleName') : generatedName(r)).slice(0, 64),
  attribute: (r, name) => {
    if (r.type !== 'AWS::IAM::Role') return undefined;
    if (name === 'Arn') return `arn:aws:iam::${r.accountId}:role/${r.ref}`;
    if (name === 'RoleId') return `AROA${shortId(r.ref, 16).toUpperCase()}`;
    return undefined;
  },
};

export const logGroups: ResourceModule = {
  types: ['AWS::Logs::LogGroup', 'AWS::Logs::ResourcePolicy'],
  effect: 'inert',
  ref: (r) => nameOr(r, 'LogGroupName', `/aws/local/${generatedName(r)}`),
  attribute: (r, name) => (r.type === 'AWS::Logs::LogGroup' && name === 'Arn' ? arn(r, 'logs', `log-group:${r.ref}:*`) : undefined),
};

export const bookkeeping: ResourceModule = {
  types: ['AWS::Lambda::Permission', 'AWS::ApiGateway::Account', 'AWS::ApiGateway::Deployment', 'AWS::CDK::Metadata'],
  effect: 'inert',
};

/** CDK's own Lambda-backed helpers that set log and access policies in AWS. */
export const policyCustomResources: ResourceModule = {
  types: ['Custom::CloudwatchLogResourcePolicy', 'Custom::OpenSearchAccessPolicy'],
  effect: 'inert',
};

export const network: ResourceModule = {
  types: ['AWS::EC2::*'],
  effect: 'inert',
  label: 'AWS::EC2::* (network)',
};
