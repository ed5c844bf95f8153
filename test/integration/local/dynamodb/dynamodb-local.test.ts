/**
 * DynamoDB Local started by local/dynamodb: bound to 127.0.0.1 only, sharedDb, transactions with
 * cancellation reasons, and streams read through the DynamoDB Streams API.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../../../local/dynamodb';
import { listeningAddresses, tryConnect } from './sockets';

let ddb: DynamoDbLocal;

function client(accessKeyId = 'localA', region = 'us-east-1'): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: ddb.endpoint,
    region,
    credentials: { accessKeyId, secretAccessKey: 'local' },
  });
}

async function createTable(name: string, stream = false): Promise<void> {
  await client().send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
    }),
  );
}

beforeAll(async () => {
  ddb = await startDynamoDbLocal({ port: 0 });
});

afterAll(async () => {
  await ddb?.stop();
});

describe('network binding', () => {
  test('the endpoint is http://127.0.0.1:<port> and answers ListTables', async () => {
    expect(ddb.endpoint).toBe(`http://127.0.0.1:${ddb.port}`);
    const out = await client().send(new ListTablesCommand({}));
    expect(Array.isArray(out.TableNames)).toBe(true);
  });

  test('the only listening socket on the port is bound to 127.0.0.1', () => {
    // Checks the bound address itself, so no other interface address (os.networkInterfaces())
    // can reach it; traffic is only ever sent to loopback addresses in this project.
    expect(listeningAddresses(ddb.port)).toEqual(['127.0.0.1']);
  });

  test('another loopback address (127.0.0.2) is refused, as a wildcard bind would accept it', async () => {
    expect(await tryConnect('127.0.0.1', ddb.port)).toBe('connected');
    expect(await tryConnect('127.0.0.2', ddb.port)).toBe('ECONNREFUSED');
  });
});

describe('tables and transactions', () => {
  const table = 'orders';
  let doc: DynamoDBDocumentClient;

  beforeAll(async () => {
    await createTable(table);
    doc = DynamoDBDocumentClient.from(client());
  });

  test('a created table is listed and active', async () => {
    const out = await client().send(new DescribeTableCommand({ TableName: table }));
    expect(out.Table?.TableStatus).toBe('ACTIVE');
  });

  test('TransactWriteItems with a failing ConditionExpression is cancelled with reasons and writes nothing', async () => {
    await doc.send(new PutCommand({ TableName: table, Item: { pk: 'sku-1', stock: 0 } }));
    const attempt = doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table,
              Key: { pk: 'sku-1' },
              UpdateExpression: 'SET stock = stock - :one',
              ConditionExpression: 'stock >= :one',
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
          { Put: { TableName: table, Item: { pk: 'order-1', sku: 'sku-1' } } },
        ],
      }),
    );
    const err = await attempt.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TransactionCanceledException);
    const reasons = (err as TransactionCanceledException).CancellationReasons?.map((r) => r.Code);
    expect(reasons).toEqual(['ConditionalCheckFailed', 'None']);
    const order = await doc.send(new GetCommand({ TableName: table, Key: { pk: 'order-1' } }));
    expect(order.Item).toBeUndefined();
    const sku = await doc.send(new GetCommand({ TableName: table, Key: { pk: 'sku-1' } }));
    expect(sku.Item).toEqual({ pk: 'sku-1', stock: 0 });
  });

  test('the same transaction commits both items when the condition holds', async () => {
    await doc.send(new PutCommand({ TableName: table, Item: { pk: 'sku-2', stock: 3 } }));
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table,
              Key: { pk: 'sku-2' },
              UpdateExpression: 'SET stock = stock - :one',
              ConditionExpression: 'stock >= :one',
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
          { Put: { TableName: table, Item: { pk: 'order-2', sku: 'sku-2' } } },
        ],
      }),
    );
    const sku = await doc.send(new GetCommand({ TableName: table, Key: { pk: 'sku-2' } }));
    expect(sku.Item?.stock).toBe(2);
    const order = await doc.send(new GetCommand({ TableName: table, Key: { pk: 'order-2' } }));
    expect(order.Item).toEqual({ pk: 'order-2', sku: 'sku-2' });
  });
});

describe('sharedDb', () => {
  test('clients with different access keys and regions see the same tables and items', async () => {
    await createTable('shared');
    const a = DynamoDBDocumentClient.from(client('keyAlpha', 'us-east-1'));
    const b = DynamoDBDocumentClient.from(client('keyBravo', 'eu-west-1'));
    await a.send(new PutCommand({ TableName: 'shared', Item: { pk: 'x', v: 'from-a' } }));
    const listed = await client('keyBravo', 'eu-west-1').send(new ListTablesCommand({}));
    expect(listed.TableNames).toContain('shared');
    const got = await b.send(new GetCommand({ TableName: 'shared', Key: { pk: 'x' } }));
    expect(got.Item).toEqual({ pk: 'x', v: 'from-a' });
  });
});

describe('streams', () => {
  test('inserts and updates appear in the table stream, read with the DynamoDB Streams client', async () => {
    const table = 'products';
    await createTable(table, true);
    const doc = DynamoDBDocumentClient.from(client());
    await doc.send(new PutCommand({ TableName: table, Item: { pk: 'p1', price: 10 } }));
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: 'p1' },
        UpdateExpression: 'SET price = :p',
        ExpressionAttributeValues: { ':p': 12 },
      }),
    );

    const described = await client().send(new DescribeTableCommand({ TableName: table }));
    const streamArn = described.Table?.LatestStreamArn;
    expect(streamArn).toMatch(/^arn:aws:dynamodb:/);

    const streams = new DynamoDBStreamsClient({
      endpoint: ddb.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'localA', secretAccessKey: 'local' },
    });
    const stream = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const shardId = stream.StreamDescription?.Shards?.[0]?.ShardId;
    expect(shardId).toBeDefined();
    const it = await streams.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const records = await streams.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }));
    const events = (records.Records ?? []).map((r) => ({
      name: r.eventName,
      oldPrice: r.dynamodb?.OldImage?.price?.N,
      newPrice: r.dynamodb?.NewImage?.price?.N,
    }));
    expect(events).toEqual([
      { name: 'INSERT', oldPrice: undefined, newPrice: '10' },
      { name: 'MODIFY', oldPrice: '10', newPrice: '12' },
    ]);
  });
});
