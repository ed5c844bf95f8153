/**
 * The Inventory service: its API routes and the saga's reserve / release / commit tasks, each
 * function granted only the tables it touches.
 */
import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { INVENTORY_ENV } from '../../lambdas/inventory/env';
import { EVENTS_ENV } from '../../lambdas/shared/env';
import { ServiceFunction } from '../constructs/service-function';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { KafkaBackbone } from '../constructs/kafka-backbone';
import type { PlatformApi } from '../constructs/platform-api';
import type { StatefulResources } from '../stateful-stack';

export class InventoryService extends Construct {
  /** every API route */
  readonly api: lambda.IFunction;
  /** the saga's reserve, release and commit (input `action`) */
  readonly tasks: lambda.IFunction;

  constructor(scope: Construct, id: string, props: { api: PlatformApi; resources: StatefulResources; backbone: KafkaBackbone }) {
    super(scope, id);
    const { api, backbone } = props;
    const { tables } = props.resources;
    const environment = {
      [INVENTORY_ENV.stockTable]: tables.stock.tableName,
      [INVENTORY_ENV.reservationsTable]: tables.reservations.tableName,
      [EVENTS_ENV.outboxTable]: tables.outbox.tableName,
    };
    const fn = (name: string, entry: string, description: string, handler?: string, timeout?: Duration) =>
      new ServiceFunction(this, name, { service: 'inventory', entry: `inventory/handlers/${entry}`, handler, description, environment, timeout }).fn;

    // One API function for every route (one role, one warm environment), one task function for
    // the saga's three steps (chosen by the input's action).
    // An API route answers within 5 s or not at all (API Gateway then answers 502, not a 29 s wait).
    this.api = fn('Api', 'api.ts', 'Inventory API: stock levels, listing, restock, health', undefined, Duration.seconds(5));
    this.tasks = fn('Tasks', 'reservation-tasks.ts', 'Saga steps: reserve every line of an order or none, release, commit');

    tables.stock.grantReadWriteData(this.api);
    tables.outbox.grantWriteData(this.api);
    tables.stock.grantReadWriteData(this.tasks);
    tables.reservations.grantReadWriteData(this.tasks);
    tables.outbox.grantWriteData(this.tasks);

    // Stock levels and low-stock alerts, announced from the stock table's stream.
    const stockStream = new ServiceFunction(this, 'StockStream', {
      service: 'inventory',
      entry: 'inventory/handlers/stock-stream.ts',
      description: 'Publishes stock levels and low-stock alerts from the stock table stream',
      network: props.resources.network,
      timeout: Duration.seconds(30),
      environment: backbone.kafkaEnvironment(),
    }).fn;
    backbone.grantProduce(stockStream, ['inventory-events']);
    stockStream.addEventSource(
      new DynamoEventSource(tables.stock, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        // gathered for up to a second: one invoke and one Kafka send for the levels of a burst of
        // orders instead of one per read (two or three levels each under the saga bench); the
        // catalog keeps only the newest level of a product anyway
        maxBatchingWindow: Duration.seconds(1),
        // stock levels are never dropped either: retried until published (AWS's default, no limit)
        bisectBatchOnError: true,
        onFailure: new SqsDlq(backbone.failures),
      }),
    );

    api.route('inventory', 'GET', '/api/inventory', this.api, { query: { limit: false, cursor: false } });
    api.route('inventory', 'GET', '/api/inventory/health', this.api, { apiKeyRequired: false });
    api.route('inventory', 'GET', '/api/inventory/{product_id}', this.api);
    api.route('inventory', 'POST', '/api/inventory/{product_id}/restock', this.api);
  }
}
