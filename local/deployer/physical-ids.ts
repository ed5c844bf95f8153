/**
 * The names and ids that CloudFormation would give resources, made deterministic so that a
 * restart of the local cloud finds the same tables and keys again.
 */
import { createHash } from 'node:crypto';

export function shortId(seed: string, length = 10): string {
  return createHash('sha256').update(seed).digest('hex').replace(/[^a-z0-9]/g, '').slice(0, length);
}

export interface PhysicalScope {
  stackName: string;
  region: string;
  accountId: string;
}

/** The value of `Ref` for a resource. */
export function refValue(type: string, logicalId: string, props: Record<string, unknown>, s: PhysicalScope): string {
  const named = (prop: string, fallback: string) => (typeof props[prop] === 'string' ? (props[prop] as string) : fallback);
  const generated = `${s.stackName}-${logicalId}`;
  switch (type) {
    case 'AWS::DynamoDB::Table':
      return named('TableName', generated);
    case 'AWS::Lambda::Function':
      return named('FunctionName', generated).slice(0, 64);
    case 'AWS::IAM::Role':
      return named('RoleName', generated).slice(0, 64);
    case 'AWS::Logs::LogGroup':
      return named('LogGroupName', `/aws/local/${generated}`);
    case 'AWS::ApiGateway::Stage':
      return named('StageName', logicalId);
    case 'AWS::ApiGateway::Model':
      return named('Name', shortId(`${s.stackName}/${logicalId}`));
    case 'AWS::Events::EventBus':
      return named('Name', generated);
    case 'AWS::OpenSearchService::Domain':
      return named('DomainName', `${logicalId.toLowerCase().replace(/[^a-z0-9-]/g, '')}`.slice(0, 28));
    case 'AWS::ElastiCache::ServerlessCache':
      return named('ServerlessCacheName', generated.toLowerCase());
    case 'AWS::MSK::ServerlessCluster':
    case 'AWS::MSK::Cluster':
      return `arn:aws:kafka:${s.region}:${s.accountId}:cluster/${named('ClusterName', generated)}/${shortId(`${s.stackName}/${logicalId}`, 8)}-local`;
    case 'AWS::SQS::Queue':
      return `http://sqs.${s.region}.localhost/${s.accountId}/${named('QueueName', generated)}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:aws:states:${s.region}:${s.accountId}:stateMachine:${named('StateMachineName', generated)}`;
    case 'AWS::Lambda::EventSourceMapping':
      return `${shortId(`${s.stackName}/${logicalId}`, 8)}-${shortId(`${logicalId}/esm`, 4)}-4000-8000-${shortId(`${logicalId}/uuid`, 12)}`;
    default:
      if (type.startsWith('AWS::ApiGateway::')) return shortId(`${s.stackName}/${logicalId}`);
      return generated;
  }
}

/** The value of `Fn::GetAtt` for the common attributes; undefined when unknown. */
export function attValue(type: string, ref: string, attribute: string, s: PhysicalScope): string | undefined {
  const arn = (service: string, resource: string) => `arn:aws:${service}:${s.region}:${s.accountId}:${resource}`;
  switch (`${type}.${attribute}`) {
    case 'AWS::DynamoDB::Table.Arn':
      return arn('dynamodb', `table/${ref}`);
    case 'AWS::Lambda::Function.Arn':
      return arn('lambda', `function:${ref}`);
    case 'AWS::IAM::Role.Arn':
      return `arn:aws:iam::${s.accountId}:role/${ref}`;
    case 'AWS::IAM::Role.RoleId':
      return `AROA${shortId(ref, 16).toUpperCase()}`;
    case 'AWS::Logs::LogGroup.Arn':
      return arn('logs', `log-group:${ref}:*`);
    case 'AWS::ApiGateway::RestApi.RootResourceId':
      return shortId(`${ref}/root`);
    case 'AWS::StepFunctions::StateMachine.Arn':
      return ref;
    case 'AWS::StepFunctions::StateMachine.Name':
      return ref.split(':').pop();
    case 'AWS::Events::EventBus.Arn':
      return arn('events', `event-bus/${ref}`);
    case 'AWS::SQS::Queue.Arn':
      return arn('sqs', ref.split('/').pop()!);
    case 'AWS::SQS::Queue.QueueName':
      return ref.split('/').pop();
    case 'AWS::SNS::Topic.TopicArn':
      return arn('sns', ref);
    default:
      return undefined;
  }
}
