/**
 * The Orders service in the synthesized template: its five functions, each role holding only what
 * its function does (tables by action, the saga's state machine or its executions), the saga
 * starter fed by the log's stream (inserts of OrderPlaced, retried until they succeed), the
 * reconciler's schedule, the price projection's Kafka consumer, the routes and their throttles.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../lib/app';
import { methodThrottle, USAGE_PLANS } from '../../lib/config';
import { TEMPLATE_ONLY } from '../support/synth';

const { app, stateful, stateless } = buildApp({ outdir: mkdtempSync(path.join(os.tmpdir(), 'cdk-orders-')), context: TEMPLATE_ONLY });
app.synth();
const data = Template.fromStack(stateful);
const template = Template.fromStack(stateless);
type Resource = { Type: string; Properties: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
const resources = (template.toJSON() as { Resources: Record<string, Resource> }).Resources;
const byType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

const functionId = (name: string) => {
  const found = byType('AWS::Lambda::Function').find(([id]) => id.startsWith(`Orders${name}Fn`));
  if (!found) throw new Error(`no Orders ${name} function`);
  return found[0];
};

/** Every statement of the role of the Orders function `name`: its actions, and each resource it names (as JSON text). */
function statements(name: string): Array<{ actions: string[]; resources: string[] }> {
  const role = resources[functionId(name)]!.Properties.Role['Fn::GetAtt'][0] as string;
  return byType('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>)
    .map((s) => ({ actions: ([] as string[]).concat(s.Action), resources: ([] as unknown[]).concat(s.Resource).map((r) => JSON.stringify(r)) }));
}

/** The DynamoDB actions a role holds per table (or index, or stream), as `Table[/index/name|/stream]: actions` (ListStreams, which names no resource, left out). */
function tableGrants(name: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of statements(name)) {
    const dynamo = s.actions.filter((a) => a.startsWith('dynamodb:'));
    if (!dynamo.length) continue;
    for (const resource of s.resources) {
      if (resource === '"*"') continue; // ListStreams takes no resource
      const table = /ExportsOutput(?:FnGetAtt|Ref)(\w+?Table)[0-9A-F]{8}/.exec(resource)?.[1] ?? resource;
      const index = /\/index\/(\w+)/.exec(resource)?.[1];
      const key = `${table}${index ? `/index/${index}` : /StreamArn/.test(resource) ? '/stream' : ''}`;
      out[key] = [...new Set([...(out[key] ?? []), ...dynamo.filter((a) => a !== 'dynamodb:ListStreams')])].sort();
    }
  }
  return out;
}

const statesGrants = (name: string) =>
  statements(name)
    .filter((s) => s.actions.some((a) => a.startsWith('states:')))
    .map((s) => ({ actions: [...s.actions].sort(), on: s.resources.map((r) => (r.includes(':execution:ecommerce-order-saga:*') ? 'executions' : r.includes(':stateMachine:ecommerce-order-saga') ? 'machine' : r)).join(',') }));

describe('Orders functions', () => {
  it('are five, traced, for the orders service', () => {
    for (const name of ['Api', 'Tasks', 'SagaStarter', 'Reconciler', 'Prices']) {
      const fn = resources[functionId(name)]!;
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect(fn.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME).toBe('orders');
    }
    // the tasks answer before the state machine's 10 s TimeoutSeconds
    expect(resources[functionId('Tasks')]!.Properties.Timeout).toBe(8);
  });

  it('the API reaches its tables by action, the idempotency records, and reads the saga\'s executions', () => {
    expect(tableGrants('Api')).toEqual({
      OrderEventsTable: ['dynamodb:PutItem', 'dynamodb:Query'],
      OrdersTable: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      'OrdersTable/index/by_user': ['dynamodb:Query'],
      OutboxTable: ['dynamodb:PutItem'],
      OrderPricesTable: ['dynamodb:BatchGetItem'],
      IdempotencyTable: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    });
    expect(statesGrants('Api')).toEqual([{ actions: ['states:DescribeExecution', 'states:GetExecutionHistory'], on: 'executions' }]);
  });

  it('the tasks append to the log with its read model and outbox, nothing else', () => {
    expect(tableGrants('Tasks')).toEqual({
      OrderEventsTable: ['dynamodb:PutItem', 'dynamodb:Query'],
      OrdersTable: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      OutboxTable: ['dynamodb:PutItem'],
    });
    expect(statesGrants('Tasks')).toEqual([]);
  });

  it("the saga starter reads the log's stream and may start executions of the saga only", () => {
    expect(tableGrants('SagaStarter')).toEqual({ 'OrderEventsTable/stream': ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'] });
    expect(statesGrants('SagaStarter')).toEqual([{ actions: ['states:StartExecution'], on: 'machine' }]);
  });

  it('the reconciler reads open orders and logs, parks, starts, describes and redrives', () => {
    expect(tableGrants('Reconciler')).toEqual({
      OrderEventsTable: ['dynamodb:Query'],
      OrdersTable: ['dynamodb:UpdateItem'],
      'OrdersTable/index/open_orders': ['dynamodb:Query'],
    });
    expect(statesGrants('Reconciler')).toEqual([
      { actions: ['states:StartExecution'], on: 'machine' },
      { actions: ['states:DescribeExecution', 'states:RedriveExecution'], on: 'executions' },
    ]);
  });

  it('the price projection writes only the price list', () => {
    expect(tableGrants('Prices')).toEqual({ OrderPricesTable: ['dynamodb:PutItem'], ProcessedEventsTable: expect.any(Array) });
    expect(resources[functionId('Prices')]!.Properties.VpcConfig).toBeDefined();
  });
});

describe('event sources', () => {
  it("the saga starter follows inserts of OrderPlaced in the log's stream, retried until they succeed", () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId('SagaStarter') },
      EventSourceArn: Match.objectLike({ 'Fn::ImportValue': Match.stringLikeRegexp('OrderEventsTable') }),
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: Match.absent(),
      MaximumRecordAgeInSeconds: Match.absent(),
      // no batching window: every order's saga waits on this read
      MaximumBatchingWindowInSeconds: Match.absent(),
      // four batches of a shard at once (one order's records in one lane)
      ParallelizationFactor: 4,
      FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"],"dynamodb":{"NewImage":{"type":{"S":["OrderPlaced"]}}}}' }] },
    });
  });

  it('the price projection consumes catalog-events in group orders-prices', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId('Prices') },
      Topics: ['catalog-events'],
      AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'orders-prices' },
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('the reconciler runs every minute', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId('Reconciler'), 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 120 } })],
    });
  });
});

describe('the orders table', () => {
  it("lists a user's orders and, sparsely, the open ones", () => {
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'order_id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        Match.objectLike({ IndexName: 'by_user', KeySchema: [{ AttributeName: 'user_id', KeyType: 'HASH' }, { AttributeName: 'placed_at', KeyType: 'RANGE' }] }),
        {
          IndexName: 'open_orders',
          KeySchema: [
            { AttributeName: 'open_shard', KeyType: 'HASH' },
            { AttributeName: 'placed_at', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['status', 'updated_at'] },
        },
      ],
    });
  });
});

describe('routes', () => {
  it('are the original paths plus the log and the prices, throttled at the orders rate (50 a minute)', () => {
    const throttles = byType('AWS::ApiGateway::UsagePlan').find(([, p]) => p.Properties.UsagePlanName === 'ecommerce-standard')![1].Properties.ApiStages[0].Throttle as Record<string, unknown>;
    const expected = methodThrottle('orders', USAGE_PLANS.standard);
    for (const route of ['/api/orders/POST', '/api/orders/GET', '/api/orders/{id}/GET', '/api/orders/{id}/status/GET', '/api/orders/{id}/events/GET', '/api/orders/prices/{product_id}/GET']) {
      expect(throttles[route]).toEqual({ RateLimit: expected.rateLimit, BurstLimit: expected.burstLimit });
    }
    expect(throttles['/api/orders/health/GET']).toBeUndefined();
  });
});
