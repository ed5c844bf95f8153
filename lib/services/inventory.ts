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
  readonly reserve: lambda.IFunction;
  readonly release: lambda.IFunction;
  readonly commit: lambda.IFunction;

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

    const getStock = fn('GetStock', 'get-stock.ts', 'Reads one product stock levels');
    const listStock = fn('ListStock', 'list-stock.ts', 'Lists stock records a page at a time');
    const restock = fn('Restock', 'restock.ts', 'Adds units to a product stock');
    // A health check answers fast or not at all: 3 s, after which API Gateway answers 502.
    const health = fn('Health', 'health.ts', 'Health check of the inventory service', undefined, Duration.seconds(3));
    this.reserve = fn('Reserve', 'reservation-tasks.ts', 'Saga step: reserve every line of an order or none', 'reserveHandler');
    this.release = fn('Release', 'reservation-tasks.ts', 'Saga compensation: release an order reservation', 'releaseHandler');
    this.commit = fn('Commit', 'reservation-tasks.ts', 'Saga step: commit an order reservation', 'commitHandler');

    tables.stock.grantReadData(getStock);
    tables.stock.grantReadData(listStock);
    tables.stock.grantReadData(health);
    tables.stock.grantReadWriteData(restock);
    tables.outbox.grantWriteData(restock);
    for (const task of [this.reserve, this.release, this.commit]) {
      tables.stock.grantReadWriteData(task);
      tables.reservations.grantReadWriteData(task);
      tables.outbox.grantWriteData(task);
    }

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
        retryAttempts: 10,
        bisectBatchOnError: true,
        onFailure: new SqsDlq(backbone.failures),
      }),
    );

    api.route('inventory', 'GET', '/api/inventory', listStock, { query: { limit: false, cursor: false } });
    api.route('inventory', 'GET', '/api/inventory/health', health, { apiKeyRequired: false });
    api.route('inventory', 'GET', '/api/inventory/{product_id}', getStock);
    api.route('inventory', 'POST', '/api/inventory/{product_id}/restock', restock);
  }
}
