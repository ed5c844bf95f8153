/**
 * The Orders service: event-sourced orders and the start of their saga.
 *
 * Five functions, one per event source (each warm environment costs memory locally, so no more):
 * - Api: every route under /api/orders (a router);
 * - Tasks: the saga's Orders steps (record, confirm, cancel; the state machine invokes it, see
 *   `tasks`), apart from the API because Step Functions is its caller and its role differs;
 * - SagaStarter: the order log's stream (inserts of OrderPlaced) -> StartExecution, retried
 *   until it succeeds: accepting an order is one write and a lost start would be a lost order;
 * - Reconciler: an EventBridge schedule (every minute) -> orders stuck before an end are driven
 *   to one (start, redrive, or compensate their saga);
 * - Prices: a Kafka consumer of `catalog-events` (group `orders-prices`) keeping the price list
 *   orders are priced from; the only one in the VPC, to reach MSK.
 *
 * Each role holds only what its function does: DynamoDB actions by table (and index), the saga's
 * Step Functions actions on its state machine (StartExecution) or on its executions (Describe,
 * GetExecutionHistory, Redrive), with ARNs built from the machine's fixed name.
 */
import { ArnFormat, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { BY_USER_INDEX, OPEN_ORDERS_INDEX } from '../../lambdas/orders/adapters/dynamodb/event-store';
import { PRICE_EVENT_TYPES } from '../../lambdas/orders/domain/prices';
import { ORDERS_ENV } from '../../lambdas/orders/env';
import { LIST_QUERY_PARAMS } from '../../lambdas/orders/schemas';
import { EVENTS_ENV } from '../../lambdas/shared/env';
import { SAGA_STATE_MACHINE_NAME } from '../config';
import type { KafkaBackbone } from '../constructs/kafka-backbone';
import type { PlatformApi } from '../constructs/platform-api';
import { ServiceFunction } from '../constructs/service-function';
import type { StatefulResources } from '../stateful-stack';

export interface OrdersServiceProps {
  api: PlatformApi;
  resources: StatefulResources;
  backbone: KafkaBackbone;
  /** the reconciler looks at orders not at an end this long after they were placed (default 5 minutes) */
  reconcileAfter?: Duration;
}

export class OrdersService extends Construct {
  /** every route under /api/orders */
  readonly api: lambda.IFunction;
  /** the saga's Orders steps (input `action`: record, confirm, cancel): the state machine's `OrdersTasksFunctionArn` */
  readonly tasks: lambda.IFunction;
  /** starts each accepted order's saga from the log's stream */
  readonly sagaStarter: lambda.IFunction;
  /** drives stuck orders to an end, every minute */
  readonly reconciler: lambda.IFunction;
  /** keeps Orders' price list from the catalog's events */
  readonly prices: lambda.IFunction;
  /** the ARN of the saga's state machine (built from its fixed name) */
  readonly sagaStateMachineArn: string;

  constructor(scope: Construct, id: string, props: OrdersServiceProps) {
    super(scope, id);
    const { api, backbone } = props;
    const { tables, network } = props.resources;
    const stack = Stack.of(this);
    this.sagaStateMachineArn = stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: SAGA_STATE_MACHINE_NAME, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const executionsArn = stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${SAGA_STATE_MACHINE_NAME}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

    const logTables = { [ORDERS_ENV.orderEventsTable]: tables.orderEvents.tableName, [ORDERS_ENV.ordersTable]: tables.orders.tableName, [EVENTS_ENV.outboxTable]: tables.outbox.tableName };
    const saga = { [ORDERS_ENV.sagaStateMachineArn]: this.sagaStateMachineArn };
    const reconcileAfter = { [ORDERS_ENV.reconcileAfterSeconds]: String((props.reconcileAfter ?? Duration.minutes(5)).toSeconds()) };
    const fn = (name: string, entry: string, description: string, environment: Record<string, string>, timeout: Duration, inVpc = false) =>
      new ServiceFunction(this, name, { service: 'orders', entry: `orders/handlers/${entry}`, description, environment, timeout, network: inVpc ? network : undefined }).fn;

    // An API route answers within 10 s or not at all (API Gateway would answer 502 rather than wait 29 s).
    this.api = fn(
      'Api',
      'api.ts',
      'Orders API: place (202), read, list by user, log, status with the saga, prices, health',
      { ...logTables, ...saga, ...reconcileAfter, [ORDERS_ENV.orderPricesTable]: tables.orderPrices.tableName, [ORDERS_ENV.idempotencyTable]: tables.idempotency.tableName },
      Duration.seconds(10),
    );
    // Below the state machine's 10 s TimeoutSeconds, so a hung step is the function's timeout (Sandbox.Timedout) with its logs.
    this.tasks = fn('Tasks', 'saga-tasks.ts', "Saga steps: record another service's step, confirm, cancel with the reason", logTables, Duration.seconds(8));
    this.sagaStarter = fn('SagaStarter', 'saga-starter.ts', "Starts each accepted order's saga from the order log's stream", saga, Duration.seconds(30));
    this.reconciler = fn('Reconciler', 'reconciler.ts', 'Drives orders stuck before an end to one: start, redrive or compensate their saga', { ...logTables, ...saga, ...reconcileAfter }, Duration.seconds(60));
    this.prices = fn(
      'Prices',
      'catalog-prices.ts',
      "Orders' price list from the catalog's events",
      { [ORDERS_ENV.orderPricesTable]: tables.orderPrices.tableName, [EVENTS_ENV.processedEventsTable]: tables.processedEvents.tableName },
      Duration.seconds(60),
      true,
    );

    // DynamoDB, by action: a transaction's Put needs PutItem; a query of an index names the index.
    const grant = (f: lambda.IFunction, resources: string[], actions: string[]) =>
      f.addToRolePolicy(new iam.PolicyStatement({ actions: actions.map((a) => `dynamodb:${a}`), resources }));
    const index = (name: string) => `${tables.orders.tableArn}/index/${name}`;
    for (const writer of [this.api, this.tasks]) {
      grant(writer, [tables.orderEvents.tableArn], ['Query', 'PutItem']);
      grant(writer, [tables.orders.tableArn], ['GetItem', 'PutItem']);
      grant(writer, [tables.outbox.tableArn], ['PutItem']);
    }
    grant(this.api, [index(BY_USER_INDEX)], ['Query']);
    grant(this.api, [tables.orderPrices.tableArn], ['BatchGetItem']);
    // Powertools idempotency records: created, completed, read back, deleted when the request fails.
    grant(this.api, [tables.idempotency.tableArn], ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem']);
    grant(this.reconciler, [tables.orderEvents.tableArn], ['Query']);
    grant(this.reconciler, [index(OPEN_ORDERS_INDEX)], ['Query']);
    // parking an order it gave up on takes it out of the open-orders index
    grant(this.reconciler, [tables.orders.tableArn], ['UpdateItem']);
    grant(this.prices, [tables.orderPrices.tableArn], ['PutItem']);

    // Step Functions: start on the machine; describe, read and redrive its executions.
    const states = (f: lambda.IFunction, resources: string[], actions: string[]) =>
      f.addToRolePolicy(new iam.PolicyStatement({ actions: actions.map((a) => `states:${a}`), resources }));
    states(this.sagaStarter, [this.sagaStateMachineArn], ['StartExecution']);
    states(this.reconciler, [this.sagaStateMachineArn], ['StartExecution']);
    states(this.reconciler, [executionsArn], ['DescribeExecution', 'RedriveExecution']);
    states(this.api, [executionsArn], ['DescribeExecution', 'GetExecutionHistory']);
    // cdk-nag names the resource with the stack's region and account when they are known at synth, else as pseudo parameters
    const known = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
    const executionsInFinding = `arn:<AWS::Partition>:states:${known(stack.region, 'Region')}:${known(stack.account, 'AccountId')}:execution:${SAGA_STATE_MACHINE_NAME}:*`;
    for (const reader of [this.api, this.reconciler]) {
      Validations.of(reader.role!).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${executionsInFinding}]`,
        reason: "Executions are named per order at run time; the grant names the saga's state machine and no other",
      });
    }

    // The saga starts from the log: inserts of OrderPlaced only, retried until the start succeeds
    // (no retry limit, no record age limit: a failed start is retried for the stream's 24 hours,
    // and the reconciler starts what is still missing after that). Four batches of a shard at
    // once: sagas of different orders start independently, and one order's records (its
    // partition key) stay in one lane, in order; under a burst the starts no longer queue behind
    // one invocation per shard.
    this.sagaStarter.addEventSource(
      new DynamoEventSource(tables.orderEvents, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        parallelizationFactor: 4,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(backbone.failures),
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { type: { S: lambda.FilterRule.isEqual('OrderPlaced') } } },
          }),
        ],
      }),
    );

    new events.Rule(this, 'ReconcileSchedule', {
      description: 'Runs the Orders reconciler every minute',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [new targets.LambdaFunction(this.reconciler, { retryAttempts: 2, maxEventAge: Duration.minutes(2) })],
    });

    backbone.addConsumer(this.prices, 'catalog-events', { groupId: 'orders-prices', eventTypes: PRICE_EVENT_TYPES });

    // Routes: the original's paths, plus the log and the price list.
    api.route('orders', 'POST', '/api/orders', this.api);
    api.route('orders', 'GET', '/api/orders', this.api, { query: Object.fromEntries(LIST_QUERY_PARAMS.map((p) => [p, false])) });
    api.route('orders', 'GET', '/api/orders/health', this.api, { apiKeyRequired: false });
    api.route('orders', 'GET', '/api/orders/prices/{product_id}', this.api);
    api.route('orders', 'GET', '/api/orders/{id}', this.api);
    api.route('orders', 'GET', '/api/orders/{id}/events', this.api);
    api.route('orders', 'GET', '/api/orders/{id}/status', this.api);
  }
}
