/**
 * Where the functions' AWS SDK clients send their calls locally: everything to the edge
 * (AWS_ENDPOINT_URL), DynamoDB and DynamoDB Streams straight to DynamoDB Local
 * (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_DYNAMODB_STREAMS), unless the cloud runs with
 * `--dynamodb-through-edge`. The environment is built by `localFunctionEnvironment`; these tests
 * run the real SDK clients of the functions' bundles with it, against the running DynamoDB Local.
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { SFNClient, ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { localFunctionEnvironment } from '../../../../local/function-environment';
import { endpoints } from '../../../support/local-cloud';

// a port nothing listens on: a call sent to the edge fails
const DEAD_EDGE = 'http://127.0.0.1:9';

async function withEnvironment<T>(env: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
  Object.assign(process.env, env);
  try {
    return await run();
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

const functionEnvironment = (dynamodbEndpoint?: string) =>
  localFunctionEnvironment({ edgeUrl: DEAD_EDGE, region: endpoints().region, kafkaBootstrap: '127.0.0.1:9', faultInjection: false, dynamodbEndpoint });

describe("the functions' endpoints", () => {
  it('DynamoDB and DynamoDB Streams calls go to DynamoDB Local itself, every other service to the edge', async () => {
    const e = endpoints();
    await withEnvironment(functionEnvironment(e.services.dynamodb), async () => {
      const dynamodb = new DynamoDBClient({ maxAttempts: 1 });
      const streams = new DynamoDBStreamsClient({ maxAttempts: 1 });
      const sfn = new SFNClient({ maxAttempts: 1 });
      try {
        expect((await dynamodb.send(new ListTablesCommand({}))).TableNames!.some((t) => t.includes('StockTable'))).toBe(true);
        expect((await streams.send(new ListStreamsCommand({}))).Streams!.some((s) => s.TableName!.includes('OutboxTable'))).toBe(true);
        // the edge of this environment is a dead port: what goes there fails
        await expect(sfn.send(new ListStateMachinesCommand({}))).rejects.toThrow(/ECONNREFUSED 127\.0\.0\.1:9\b/);
      } finally {
        dynamodb.destroy();
        streams.destroy();
        sfn.destroy();
      }
    });
  });

  it('with --dynamodb-through-edge (no DynamoDB endpoint of their own) DynamoDB calls go to the edge', async () => {
    const env = functionEnvironment(undefined);
    expect(Object.keys(env).filter((k) => k.startsWith('AWS_ENDPOINT_URL'))).toEqual(['AWS_ENDPOINT_URL']);
    await withEnvironment(env, async () => {
      const dynamodb = new DynamoDBClient({ maxAttempts: 1 });
      try {
        await expect(dynamodb.send(new ListTablesCommand({}))).rejects.toThrow(/ECONNREFUSED 127\.0\.0\.1:9\b/);
      } finally {
        dynamodb.destroy();
      }
    });
  });
});
