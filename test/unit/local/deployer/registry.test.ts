import { ResourceRegistry, RESOURCE_MODULES } from '../../../../local/deployer/registry';
import type { LocalServices, ResourceModule } from '../../../../local/deployer/types';

const registry = new ResourceRegistry();
const scope = { stackName: 'Stack', region: 'us-east-1', accountId: '000000000000' };
const id = (type: string, logicalId: string, rawProperties: Record<string, unknown> = {}) => ({ ...scope, type, logicalId, rawProperties });
const ref = (type: string, logicalId: string, props: Record<string, unknown> = {}) => registry.ref(id(type, logicalId, props));
const att = (type: string, ref: string, name: string) => registry.attribute({ ...id(type, 'X'), ref }, name);

describe('physical ids', () => {
  it('names resources the way a redeploy finds them again', () => {
    expect(ref('AWS::DynamoDB::Table', 'StockTable1')).toBe('Stack-StockTable1');
    expect(ref('AWS::DynamoDB::Table', 'StockTable1', { TableName: 'stock' })).toBe('stock');
    expect(ref('AWS::ApiGateway::RestApi', 'Api')).toBe(ref('AWS::ApiGateway::RestApi', 'Api'));
    expect(ref('AWS::ApiGateway::RestApi', 'Api')).toMatch(/^[a-z0-9]{10}$/);
    expect(ref('AWS::ApiGateway::Stage', 'Stage', { StageName: 'v1' })).toBe('v1');
    expect(ref('AWS::MSK::ServerlessCluster', 'Kafka', { ClusterName: 'events' })).toMatch(/^arn:aws:kafka:us-east-1:000000000000:cluster\/events\/[a-z0-9]+-local$/);
    expect(ref('AWS::Lambda::EventSourceMapping', 'Esm')).toMatch(/^[a-z0-9]{8}-[a-z0-9]{4}-4000-8000-[a-z0-9]{12}$/);
    expect(ref('AWS::SQS::Queue', 'Failures', { QueueName: 'failures' })).toBe('http://sqs.us-east-1.localhost/000000000000/failures');
  });

  it('names an intrinsic-valued name property by the generated name (only literals are known before deploy)', () => {
    expect(ref('AWS::DynamoDB::Table', 'T', { TableName: { Ref: 'Param' } })).toBe('Stack-T');
  });

  it('builds ARNs for the common attributes, and a placeholder ARN for what no module knows', () => {
    expect(att('AWS::DynamoDB::Table', 'stock', 'Arn')).toBe('arn:aws:dynamodb:us-east-1:000000000000:table/stock');
    expect(att('AWS::Lambda::Function', 'fn', 'Arn')).toBe('arn:aws:lambda:us-east-1:000000000000:function:fn');
    expect(att('AWS::SQS::Queue', 'http://sqs.us-east-1.localhost/000000000000/q1', 'Arn')).toBe('arn:aws:sqs:us-east-1:000000000000:q1');
    expect(att('AWS::IAM::Role', 'role-1', 'Arn')).toBe('arn:aws:iam::000000000000:role/role-1');
    expect(att('AWS::DynamoDB::Table', 'stock', 'Nope')).toBe('arn:aws:local:us-east-1:000000000000:X/Nope');
    expect(att('AWS::Made::Up', 'x', 'Arn')).toBe('arn:aws:local:us-east-1:000000000000:X/Arn');
  });
});

describe('the resource registry', () => {
  const running: LocalServices = { dynamodb: {} as LocalServices['dynamodb'], redis: { host: '127.0.0.1', port: 6379 } };

  it('derives what is emulated, accepted without local effect and not emulated from the modules and the running services', () => {
    expect(registry.classify('AWS::DynamoDB::Table', running)).toBe('emulated');
    expect(registry.classify('AWS::ElastiCache::ServerlessCache', running)).toBe('emulated');
    // the module exists but its service does not run here
    expect(registry.classify('AWS::Lambda::Function', running)).toBe('not-emulated');
    expect(registry.classify('AWS::SQS::Queue', running)).toBe('not-emulated');
    expect(registry.classify('AWS::IAM::Role', running)).toBe('inert');
    expect(registry.classify('AWS::EC2::SecurityGroup', running)).toBe('inert');
    expect(registry.classify('AWS::Made::Up', running)).toBe('not-emulated');
  });

  it('groups a family under one label', () => {
    expect(registry.label('AWS::EC2::VPC')).toBe('AWS::EC2::* (network)');
    expect(registry.label('AWS::EC2::Subnet')).toBe('AWS::EC2::* (network)');
    expect(registry.label('AWS::IAM::Role')).toBe('AWS::IAM::Role');
  });

  it('refuses two modules for one type', () => {
    const twin: ResourceModule = { types: ['AWS::DynamoDB::Table'], effect: 'inert' };
    expect(() => new ResourceRegistry([...RESOURCE_MODULES, twin])).toThrow(/two resource modules handle AWS::DynamoDB::Table/);
  });

  it('has a module that deploys for every type it emulates, and none that deploys an inert type', () => {
    for (const m of RESOURCE_MODULES) {
      if (m.effect === 'inert') expect(m.deploy).toBeUndefined();
      else expect(typeof (m.deploy ?? m.finalize)).toBe('function');
    }
  });
});
