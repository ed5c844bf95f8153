/**
 * The README's promises about the local cloud itself, on the running platform: every listener on
 * 127.0.0.1; the edge endpoint serving DynamoDB, DynamoDB Streams and the Lambda API operations
 * the README lists (through the real SDK clients), and naming what it does not emulate; each
 * function's log in DATA/logs/<function>.log with Lambda's START/END/REPORT lines.
 */
import { DescribeStreamCommand, DynamoDBStreamsClient, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  GetEventSourceMappingCommand,
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
  UpdateEventSourceMappingCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { listenersOf } from '../support/listeners';
import { awsClientConfig, call, endpoints } from '../support/local-cloud';
import { eventually } from '../support/poll';

const LOOPBACK = /^(127\.0\.0\.1|0:0:0:0:0:0:0:1|0:0:0:0:0:ffff:7f00:1)$/;

describe('the local cloud, as the README describes it', () => {
  it('listens on 127.0.0.1 only: every TCP listener of its processes (Node, DynamoDB Local, Redis)', () => {
    const e = endpoints();
    const listeners = listenersOf(e.pid).filter((l) => l.protocol === 'tcp');
    const ports = new Set(listeners.map((l) => l.port));
    for (const url of [e.api_url, e.edge_url, e.services.dynamodb!, e.services.opensearch!, e.services.redis!]) {
      expect(ports.has(Number(new URL(url).port))).toBe(true);
    }
    expect(ports.has(Number(e.services.kafka!.split(':')[1]))).toBe(true);
    expect(listeners.filter((l) => !LOOPBACK.test(l.address))).toEqual([]);
  });

  it('serves DynamoDB and DynamoDB Streams on the edge endpoint', async () => {
    const dynamodb = new DynamoDBClient(awsClientConfig());
    const streams = new DynamoDBStreamsClient(awsClientConfig());
    try {
      const tables = (await dynamodb.send(new ListTablesCommand({}))).TableNames ?? [];
      expect(tables.some((t) => t.includes('StockTable'))).toBe(true);
      const list = (await streams.send(new ListStreamsCommand({}))).Streams ?? [];
      const outbox = list.find((s) => s.TableName!.includes('OutboxTable'))!;
      const described = await streams.send(new DescribeStreamCommand({ StreamArn: outbox.StreamArn }));
      expect(described.StreamDescription!.StreamViewType).toBe('NEW_IMAGE');
    } finally {
      dynamodb.destroy();
      streams.destroy();
    }
  });

  it('serves the Lambda API the README lists: Invoke, GetFunction, ListFunctions, UpdateFunctionConfiguration, List/Get/UpdateEventSourceMapping', async () => {
    const lambda = new LambdaClient(awsClientConfig());
    try {
      const fns = (await lambda.send(new ListFunctionsCommand({}))).Functions ?? [];
      const api = fns.find((f) => f.FunctionName!.includes('InventoryApi'))!;
      expect(fns.length).toBe(endpoints().functions.length);
      const got = await lambda.send(new GetFunctionCommand({ FunctionName: api.FunctionName }));
      expect(got.Configuration!.Timeout).toBe(5);
      const health = await lambda.send(
        new InvokeCommand({ FunctionName: api.FunctionName, Payload: Buffer.from(JSON.stringify({ resource: '/api/inventory/health', path: '/api/inventory/health', httpMethod: 'GET', headers: {} })) }),
      );
      expect(JSON.parse(Buffer.from(health.Payload!).toString()).statusCode).toBe(200);
      const updated = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: api.FunctionName, Timeout: 5 }));
      expect(updated.Timeout).toBe(5);
      const { EventSourceMappings = [] } = await lambda.send(new ListEventSourceMappingsCommand({}));
      const projection = EventSourceMappings.find((m) => m.AmazonManagedKafkaEventSourceConfig?.ConsumerGroupId === 'catalog-projection')!;
      expect(projection.Topics).toEqual(['catalog-events']);
      expect((await lambda.send(new GetEventSourceMappingCommand({ UUID: projection.UUID }))).State).toBe('Enabled');
      try {
        expect((await lambda.send(new UpdateEventSourceMappingCommand({ UUID: projection.UUID, Enabled: false }))).State).toBe('Disabled');
      } finally {
        await lambda.send(new UpdateEventSourceMappingCommand({ UUID: projection.UUID, Enabled: true }));
      }
    } finally {
      lambda.destroy();
    }
  });

  it('names an AWS API it does not emulate, in AWS error shape', async () => {
    const res = await fetch(endpoints().edge_url, { method: 'POST', headers: { 'x-amz-target': 'AmazonKinesis.ListStreams', 'content-type': 'application/x-amz-json-1.1' }, body: '{}' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { __type: string; message: string };
    expect(body.__type).toBe('UnknownOperationException');
    expect(body.message).toContain('AmazonKinesis.ListStreams');
  });

  it("writes each function's output to DATA/logs/<function>.log, between Lambda's START and REPORT lines", async () => {
    const e = endpoints();
    expect((await call('/api/inventory/health', { key: null })).status).toBe(200);
    const fn = e.functions.find((f) => f.includes('InventoryApi'))!;
    const file = path.join(e.data_dir, 'logs', `${fn}.log`);
    const text = await eventually('the function log', () => (existsSync(file) && readFileSync(file, 'utf8').includes('REPORT RequestId') ? readFileSync(file, 'utf8') : undefined));
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.startsWith('START RequestId: '));
    const id = lines[start]!.split(' ')[2];
    expect(lines.slice(start).find((l) => l.startsWith(`END RequestId: ${id}`))).toBeDefined();
    expect(lines.slice(start).find((l) => l.startsWith(`REPORT RequestId: ${id}\tDuration: `))).toMatch(/Billed Duration: \d+ ms\tMemory Size: \d+ MB/);
  });
});
