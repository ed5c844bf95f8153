/**
 * The Catalog service (CQRS): a command function writing products and their events to
 * DynamoDB (transactional outbox), a query function reading the cache, the search index and
 * the products table, the search projection (catalog-events -> OpenSearch + cache
 * invalidation), and the consumer of other services' events (stock from Inventory, popularity
 * from confirmed orders). Also Inventory's consumer of catalog events (a new product's stock),
 * defined here because it exists for the catalog's sake; it runs as an inventory function.
 *
 * Every function is in the VPC (the search domain and the cache live there; DynamoDB is reached
 * through the VPC's gateway endpoint) and holds only what it uses: table actions by name, the
 * search domain's HTTP verbs on the products index only. The cache is reached at the network
 * level (the functions' security group is admitted by the cache's).
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { DEFAULT_INDEX } from '../../lambdas/catalog/adapters/opensearch/index-definition';
import { CATALOG_ENV } from '../../lambdas/catalog/env';
import { FEATURED_QUERY_PARAMS, LIST_QUERY_PARAMS } from '../../lambdas/catalog/schemas';
import { SIGNAL_EVENT_TYPES } from '../../lambdas/catalog/domain/signals';
import { INVENTORY_ENV } from '../../lambdas/inventory/env';
import { INVENTORY_CATALOG_EVENT_TYPES } from '../../lambdas/inventory/use-cases/catalog-events';
import { EVENTS_ENV, OPENSEARCH_ENV, REDIS_ENV, type OpenSearchAuth } from '../../lambdas/shared/env';
import type { KafkaBackbone } from '../constructs/kafka-backbone';
import type { PlatformApi } from '../constructs/platform-api';
import { ServiceFunction } from '../constructs/service-function';
import type { FunctionOwner } from '../config';
import type { StatefulResources } from '../stateful-stack';

export interface CatalogServiceProps {
  api: PlatformApi;
  resources: StatefulResources;
  backbone: KafkaBackbone;
}

/** The index the catalog owns on the search domain. */
export const PRODUCTS_INDEX = DEFAULT_INDEX;
/** Name of the stateful stack's export of the search domain's ARN (created here, read by the catalog's grants). */
export const SEARCH_DOMAIN_ARN_EXPORT = 'EcommerceCatalog-SearchDomainArn';

export class CatalogService extends Construct {
  readonly commands: lambda.IFunction;
  readonly queries: lambda.IFunction;
  readonly projection: lambda.IFunction;
  readonly signals: lambda.IFunction;
  /** Inventory's consumer of catalog events */
  readonly inventoryCatalogEvents: lambda.IFunction;

  constructor(scope: Construct, id: string, props: CatalogServiceProps) {
    super(scope, id);
    const { api, backbone } = props;
    const { tables, network, search, cache } = props.resources;

    const searchEnv = {
      [OPENSEARCH_ENV.endpoint]: search.domain.domainEndpoint,
      [OPENSEARCH_ENV.tls]: 'true',
      [OPENSEARCH_ENV.auth]: 'sigv4' satisfies OpenSearchAuth,
      [CATALOG_ENV.productsIndex]: PRODUCTS_INDEX,
    };
    // ElastiCache Serverless: TLS and cluster mode (the client's default when REDIS_TLS is true).
    const cacheEnv = { [REDIS_ENV.host]: cache.host, [REDIS_ENV.port]: cache.port, [REDIS_ENV.tls]: 'true' };
    const productsTable = { [CATALOG_ENV.productsTable]: tables.products.tableName };
    const outboxTable = { [EVENTS_ENV.outboxTable]: tables.outbox.tableName };
    const processedEventsTable = { [EVENTS_ENV.processedEventsTable]: tables.processedEvents.tableName };
    const fn = (name: string, entry: string, description: string, environment: Record<string, string>, extra: { timeout?: Duration; memorySize?: number; service?: FunctionOwner } = {}) =>
      new ServiceFunction(this, name, {
        service: extra.service ?? 'catalog',
        entry,
        description,
        environment,
        network,
        timeout: extra.timeout,
        memorySize: extra.memorySize,
      }).fn;

    this.commands = fn('Commands', 'catalog/handlers/commands.ts', 'Catalog commands: create, update, delete products', { ...productsTable, ...outboxTable });
    this.queries = fn(
      'Queries',
      'catalog/handlers/queries.ts',
      'Catalog queries: product, list, search, featured, categories, health',
      { ...productsTable, ...searchEnv, ...cacheEnv },
      { memorySize: 512 },
    );
    this.projection = fn(
      'Projection',
      'catalog/handlers/projection.ts',
      'Catalog events -> search index and cache invalidation',
      { ...processedEventsTable, ...searchEnv, ...cacheEnv },
      { timeout: Duration.seconds(60) },
    );
    this.signals = fn(
      'Signals',
      'catalog/handlers/signals.ts',
      'Stock reports and confirmed orders -> product stock and popularity',
      { ...productsTable, ...outboxTable, ...processedEventsTable },
      { timeout: Duration.seconds(60) },
    );
    this.inventoryCatalogEvents = fn(
      'InventoryCatalogEvents',
      'inventory/handlers/catalog-events.ts',
      "Inventory: a new product's stock from its catalog event",
      {
        [INVENTORY_ENV.stockTable]: tables.stock.tableName,
        [INVENTORY_ENV.reservationsTable]: tables.reservations.tableName,
        ...outboxTable,
        ...processedEventsTable,
      },
      { timeout: Duration.seconds(60), service: 'inventory' },
    );

    // DynamoDB, by action: a transaction's Put needs PutItem, its condition ConditionCheckItem.
    const table = (fnc: lambda.IFunction, arn: string, actions: string[]) =>
      fnc.addToRolePolicy(new iam.PolicyStatement({ actions: actions.map((a) => `dynamodb:${a}`), resources: [arn] }));
    for (const writer of [this.commands, this.signals]) {
      table(writer, tables.products.tableArn, ['GetItem', 'PutItem', 'ConditionCheckItem']);
      table(writer, tables.outbox.tableArn, ['PutItem']);
    }
    table(this.queries, tables.products.tableArn, ['GetItem']);
    // Inventory's restock: the stock update and its event in one transaction, then a read back.
    table(this.inventoryCatalogEvents, tables.stock.tableArn, ['UpdateItem', 'GetItem']);
    table(this.inventoryCatalogEvents, tables.outbox.tableArn, ['PutItem']);

    // OpenSearch: the products index only; reads for the queries, writes for the projection.
    // The domain's ARN comes through an export with a fixed name, so that the acknowledgement of
    // the index's sub-path wildcard below names a stable resource.
    const domainArn = Stack.of(search.domain).exportValue(search.domain.domainArn, { name: SEARCH_DOMAIN_ARN_EXPORT });
    const indexArns = [`${domainArn}/${PRODUCTS_INDEX}`, `${domainArn}/${PRODUCTS_INDEX}/*`];
    this.queries.addToRolePolicy(new iam.PolicyStatement({ actions: ['es:ESHttpGet', 'es:ESHttpPost', 'es:ESHttpHead'], resources: indexArns }));
    this.projection.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut', 'es:ESHttpDelete'], resources: indexArns }),
    );
    for (const user of [this.queries, this.projection]) {
      Validations.of(user.role!).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${SEARCH_DOMAIN_ARN_EXPORT}/${PRODUCTS_INDEX}/*]`,
        reason: "The index's documents and APIs (_doc/<id>, _search, _mapping) are sub-paths of the index ARN; the grant names this one index",
      });
    }

    // Events: the projection follows the catalog; the signals follow inventory and orders.
    backbone.addConsumer(this.projection, 'catalog-events', { groupId: 'catalog-projection' });
    backbone.addConsumer(this.signals, 'inventory-events', { groupId: 'catalog-signals-inventory', eventTypes: SIGNAL_EVENT_TYPES.inventory });
    backbone.addConsumer(this.signals, 'order-events', { groupId: 'catalog-signals-orders', eventTypes: SIGNAL_EVENT_TYPES.orders });
    backbone.addConsumer(this.inventoryCatalogEvents, 'catalog-events', { groupId: 'inventory-catalog-events', eventTypes: INVENTORY_CATALOG_EVENT_TYPES });

    // Routes: the original's paths.
    api.route('catalog', 'POST', '/api/catalog', this.commands);
    api.route('catalog', 'PUT', '/api/catalog/{id}', this.commands);
    api.route('catalog', 'DELETE', '/api/catalog/{id}', this.commands);
    const listParams = Object.fromEntries(LIST_QUERY_PARAMS.map((p) => [p, false]));
    api.route('catalog', 'GET', '/api/catalog', this.queries, { query: listParams });
    api.route('catalog', 'GET', '/api/catalog/health', this.queries, { apiKeyRequired: false });
    api.route('catalog', 'GET', '/api/catalog/{id}', this.queries);
    api.route('catalog', 'GET', '/api/catalog/search/{query}', this.queries, { query: listParams });
    api.route('catalog', 'GET', '/api/catalog/featured/list', this.queries, { query: Object.fromEntries(FEATURED_QUERY_PARAMS.map((p) => [p, false])) });
    api.route('catalog', 'GET', '/api/catalog/meta/categories', this.queries);
  }
}
