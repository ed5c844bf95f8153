/** AWS::DynamoDB::Table on DynamoDB Local: created once, found again on a restart (state survives). */
import { CreateTableCommand, DescribeTableCommand, ResourceInUseException, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { arn, nameOr } from '../physical-ids';
import type { ResourceModule } from '../types';

export const dynamodbTable: ResourceModule = {
  types: ['AWS::DynamoDB::Table'],
  effect: 'emulated',
  needs: 'dynamodb',
  ref: (r) => nameOr(r, 'TableName'),
  attribute: (r, name) => (name === 'Arn' ? arn(r, 'dynamodb', `table/${r.ref}`) : undefined),
  async deploy(r, ctx) {
    const client = ctx.services.dynamodb!;
    const p = r.properties;
    const onDemand = p.BillingMode === 'PAY_PER_REQUEST';
    const defaultThroughput = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };
    const input: CreateTableCommandInput = {
      TableName: r.ref,
      KeySchema: p.KeySchema,
      AttributeDefinitions: p.AttributeDefinitions,
      BillingMode: p.BillingMode ?? 'PROVISIONED',
      ProvisionedThroughput: onDemand ? undefined : (p.ProvisionedThroughput ?? defaultThroughput),
      GlobalSecondaryIndexes: p.GlobalSecondaryIndexes?.map((g: Record<string, unknown>) => ({
        IndexName: g.IndexName,
        KeySchema: g.KeySchema,
        Projection: g.Projection,
        ProvisionedThroughput: onDemand ? undefined : (g.ProvisionedThroughput ?? defaultThroughput),
      })),
      LocalSecondaryIndexes: p.LocalSecondaryIndexes,
      StreamSpecification: p.StreamSpecification ? { StreamEnabled: true, StreamViewType: p.StreamSpecification.StreamViewType } : undefined,
    };
    try {
      await client.send(new CreateTableCommand(input));
    } catch (err) {
      if (!(err instanceof ResourceInUseException)) throw err; // exists from an earlier run
    }
    const { Table } = await client.send(new DescribeTableCommand({ TableName: r.ref }));
    const streamArn = Table!.LatestStreamArn;
    ctx.outputs.tables.push({ name: r.ref, arn: Table!.TableArn!, streamArn });
    return streamArn ? { StreamArn: streamArn } : undefined;
  },
};
