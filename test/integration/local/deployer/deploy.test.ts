/**
 * The template deployer on real local services: a small template deployed in dependency order,
 * every intrinsic resolved against what was created before (a rule's target is a function's
 * ARN, an archive's source a bus's ARN), each type counted as emulated, accepted without local
 * effect or not emulated, and a redeploy (a restart) finding everything again.
 */
import { DynamoDBClient, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StackArtifact } from '../../../../local/deployer/cloud-assembly';
import { deploy } from '../../../../local/deployer/deploy';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../../../local/dynamodb';
import { createEventBridge, type EventBridge } from '../../../../local/eventbridge';
import { LambdaRuntime } from '../../../../local/lambda';
import { FIXTURE_HANDLERS } from '../../../support/functions';
import { eventually } from '../../../support/poll';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

const template: StackArtifact['template'] = {
  Resources: {
    // listed before what it references: the deployer must order it after the function and the bus
    OutcomeRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventBusName: { Ref: 'Bus' },
        EventPattern: { source: ['test.orders'] },
        Targets: [{ Id: 'fn', Arn: { 'Fn::GetAtt': ['Notify', 'Arn'] }, InputPath: '$.detail' }],
      },
    },
    Archive: { Type: 'AWS::Events::Archive', Properties: { SourceArn: { 'Fn::GetAtt': ['Bus', 'Arn'] }, RetentionDays: 7 } },
    Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'test-orders' } },
    Notify: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Code: { S3Bucket: 'assets', S3Key: 'fixture-handlers.zip' },
        Handler: 'runtime.logEvent',
        Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
        Environment: { Variables: { TABLE: { Ref: 'Table' }, STREAM: { 'Fn::GetAtt': ['Table', 'StreamArn'] } } },
      },
    },
    Table: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      },
    },
    Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
    Widget: { Type: 'AWS::Made::Up', Properties: { Size: 3 } },
  },
};
const stack: StackArtifact = { stackName: 'DeployTest', template, assets: new Map([['fixture-handlers', FIXTURE_HANDLERS]]) };

describe('the template deployer', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'deployer-'));
  const lines: string[] = [];
  let dynamo: DynamoDbLocal;
  let client: DynamoDBClient;
  let lambda: LambdaRuntime;
  let eventbridge: EventBridge;

  beforeAll(async () => {
    dynamo = await startDynamoDbLocal({ port: 0 });
    client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: REGION, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    lambda = new LambdaRuntime({ onLog: (fn, line) => lines.push(`${fn} ${line}`) });
    eventbridge = await createEventBridge({
      dataDir: path.join(dataDir, 'eventbridge'),
      region: REGION,
      accountId: ACCOUNT,
      invokeLambda: async (arn, payload) => void (await lambda.invoke(arn, JSON.parse(payload), { invocationType: 'Event' })),
    });
  });

  afterAll(async () => {
    await eventbridge.close();
    await lambda.close();
    client.destroy();
    await dynamo.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const run = () =>
    deploy([stack], {
      region: REGION,
      accountId: ACCOUNT,
      log: () => undefined,
      services: {
        dynamodb: client,
        lambda: { register: (spec) => lambda.register(spec), environment: { LOCAL_CLOUD: '1' }, codeDir: path.join(dataDir, 'functions') },
        eventbridge,
      },
    });

  it('creates resources after what they reference, resolving refs and attributes, and counts every type', async () => {
    const d = await run();
    expect(d.resources.map((r) => r.logicalId)).toEqual(['Bus', 'Role', 'Table', 'Notify', 'OutcomeRule', 'Archive', 'Widget']);
    expect(Object.fromEntries(d.emulated)).toEqual({
      'AWS::Events::EventBus': 1,
      'AWS::DynamoDB::Table': 1,
      'AWS::Lambda::Function': 1,
      'AWS::Events::Rule': 1,
      'AWS::Events::Archive': 1,
    });
    expect(Object.fromEntries(d.accepted)).toEqual({ 'AWS::IAM::Role': 1 });
    expect(Object.fromEntries(d.notEmulated)).toEqual({ 'AWS::Made::Up': 1 });

    const fn = d.functions[0]!;
    const table = await client.send(new DescribeTableCommand({ TableName: 'DeployTest-Table' }));
    expect(fn.environment).toEqual({ TABLE: 'DeployTest-Table', STREAM: table.Table!.LatestStreamArn, LOCAL_CLOUD: '1' });
    // a rule on a custom bus is "bus|name", as CloudFormation answers
    expect(d.resources.find((r) => r.logicalId === 'OutcomeRule')!.ref).toBe('test-orders|DeployTest-OutcomeRule');
    expect(d.resources.find((r) => r.logicalId === 'Archive')!.properties.SourceArn).toBe(`arn:aws:events:${REGION}:${ACCOUNT}:event-bus/test-orders`);

    // the rule routes the bus's events to the function, with its InputPath applied
    const result = await eventbridge.putEvents([{ EventBusName: 'test-orders', Source: 'test.orders', DetailType: 'OrderPlaced', Detail: '{"order_id":"o-1"}' }]);
    expect(result.FailedEntryCount).toBe(0);
    const seen = await eventually('the function to get the event', () => lines.find((l) => l.startsWith(`${fn.name} `) && l.includes('EVENT ')));
    expect(JSON.parse(seen.slice(seen.indexOf('EVENT ') + 6))).toEqual({ order_id: 'o-1' });
  });

  it('finds everything again on a redeploy, as after a restart', async () => {
    const again = await run();
    expect(again.tables.map((t) => t.name)).toEqual(['DeployTest-Table']);
    expect(again.functions.map((f) => f.name)).toEqual(['DeployTest-Notify']);
    expect(again.resources.find((r) => r.logicalId === 'OutcomeRule')!.ref).toBe('test-orders|DeployTest-OutcomeRule');
  });
});
