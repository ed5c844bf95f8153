/**
 * Everything that holds state and outlives deployments of code: the network, the tables (state
 * and the transactional outbox), the Kafka cluster and its topics, the search domain and the
 * cache. The stateless stack receives them through `StatefulResources`.
 */
import { Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as msk from 'aws-cdk-lib/aws-msk';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import type { Construct } from 'constructs';
import { HISTORY_INDEXES, HISTORY_KEY, HISTORY_SORT, HISTORY_TTL } from '../lambdas/notifications/adapters/dynamodb/history-schema';
import { TOPICS } from '../lambdas/shared/events/envelope';

export interface Tables {
  stock: dynamodb.Table;
  reservations: dynamodb.Table;
  products: dynamodb.Table;
  /** events written in the same transaction as the state they announce */
  outbox: dynamodb.Table;
  /** event ids each consumer has handled (Powertools idempotency records) */
  processedEvents: dynamodb.Table;
  /** Orders: each order's append-only event log (order_id, seq); its stream starts the saga */
  orderEvents: dynamodb.Table;
  /** Orders: the read model of orders (the fold of each log), listed by user through the by_user index */
  orders: dynamodb.Table;
  /** Orders: its projection of catalog prices (from catalog events), for pricing orders */
  orderPrices: dynamodb.Table;
  /** Payments: one record per payment; the by_order index finds an order's payment */
  payments: dynamodb.Table;
  /** answers of idempotent API requests by Idempotency-Key (Powertools idempotency records) */
  idempotency: dynamodb.Table;
  /** Notifications: each user's contacts and opted-in channels */
  notificationPreferences: dynamodb.Table;
  /** Notifications: one item per notification sent (or failed), with an index per history filter */
  notifications: dynamodb.Table;
  /** Notifications: its projection of whose each order is (for payment events without a user) */
  notificationOrders: dynamodb.Table;
}

export interface Network {
  vpc: ec2.IVpc;
  /** the security group of every function in the VPC */
  functions: ec2.SecurityGroup;
}

export interface KafkaCluster {
  clusterArn: string;
  clusterName: string;
  /**
   * Set when the app is synthesized for a self-managed Kafka (context `selfManagedKafka`, e.g.
   * Redpanda on the LocalStack path): its bootstrap brokers. No MSK cluster exists then; the
   * topics are the broker's own (created by docker-compose.localstack.yml) and the consumers are
   * fed by self-managed Kafka event source mappings.
   */
  bootstrapServers?: string[];
}

/** CDK context key of the self-managed Kafka's bootstrap brokers (`host:port[,host:port]`). */
export const SELF_MANAGED_KAFKA_CONTEXT = 'selfManagedKafka';

export interface SearchDomain {
  domain: opensearch.Domain;
}

export interface Cache {
  /** host and port of the cache endpoint (TLS) */
  host: string;
  port: string;
  arn: string;
}

/** The EventBridge bus that carries order outcomes to outside subscribers, with its archive. */
export interface OrderEventsBus {
  bus: events.EventBus;
}

export interface StatefulResources {
  tables: Tables;
  bus: OrderEventsBus;
  network: Network;
  kafka: KafkaCluster;
  search: SearchDomain;
  cache: Cache;
}

/** Adds a global secondary index (all attributes projected) keyed by `partition` (and `sort`). */
function withIndex(table: dynamodb.Table, indexName: string, partition: string, sort?: string): dynamodb.Table {
  table.addGlobalSecondaryIndex({
    indexName,
    partitionKey: { name: partition, type: dynamodb.AttributeType.STRING },
    sortKey: sort ? { name: sort, type: dynamodb.AttributeType.STRING } : undefined,
  });
  return table;
}

/**
 * Orders' reconciler finds orders stuck before an end through a sparse index: only orders not at
 * an end carry `open_shard` (one of four values, to spread the writes), so the index holds just
 * them, oldest first by `placed_at`, without a scan of every order ever placed. It projects what
 * the reconciler reads before it loads an order's log.
 */
function withOpenOrdersIndex(table: dynamodb.Table): dynamodb.Table {
  table.addGlobalSecondaryIndex({
    indexName: 'open_orders',
    partitionKey: { name: 'open_shard', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'placed_at', type: dynamodb.AttributeType.STRING },
    projectionType: dynamodb.ProjectionType.INCLUDE,
    nonKeyAttributes: ['status', 'updated_at'],
  });
  return table;
}

export class StatefulStack extends Stack implements StatefulResources {
  readonly tables: Tables;
  readonly network: Network;
  readonly kafka: KafkaCluster;
  readonly search: SearchDomain;
  readonly cache: Cache;
  readonly bus: OrderEventsBus;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.network = this.buildNetwork();
    this.tables = this.buildTables();
    this.kafka = this.buildKafka();
    this.search = this.buildSearch();
    this.cache = this.buildCache();
    this.bus = this.buildBus();
  }

  private buildNetwork(): Network {
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
      gatewayEndpoints: { DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB } },
      flowLogs: {
        all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(this, 'VpcFlowLogs', { retention: logs.RetentionDays.ONE_MONTH })) },
      },
    });
    const functions = new ec2.SecurityGroup(this, 'FunctionsSg', { vpc, description: 'Lambda functions of the platform', allowAllOutbound: true });
    return { vpc, functions };
  }

  private buildTables(): Tables {
    const table = (name: string, partitionKey: string, extra: Partial<dynamodb.TableProps> = {}) =>
      new dynamodb.Table(this, name, {
        partitionKey: { name: partitionKey, type: dynamodb.AttributeType.STRING },
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: dynamodb.TableEncryption.AWS_MANAGED,
        removalPolicy: RemovalPolicy.RETAIN,
        ...extra,
      });
    return {
      stock: table('StockTable', 'product_id', { stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES }),
      reservations: table('ReservationsTable', 'reservation_id'),
      products: table('ProductsTable', 'product_id'),
      // keyed by aggregate first: one aggregate's events keep their order through the stream (lambdas/shared/events/outbox.ts)
      outbox: table('OutboxTable', 'aggregate_id', {
        sortKey: { name: 'event_id', type: dynamodb.AttributeType.STRING },
        stream: dynamodb.StreamViewType.NEW_IMAGE,
        timeToLiveAttribute: 'expires_at',
      }),
      processedEvents: table('ProcessedEventsTable', 'id', { timeToLiveAttribute: 'expiration' }),
      orderEvents: table('OrderEventsTable', 'order_id', {
        sortKey: { name: 'seq', type: dynamodb.AttributeType.NUMBER },
        stream: dynamodb.StreamViewType.NEW_IMAGE,
      }),
      orders: withOpenOrdersIndex(withIndex(table('OrdersTable', 'order_id'), 'by_user', 'user_id', 'placed_at')),
      orderPrices: table('OrderPricesTable', 'product_id'),
      payments: withIndex(table('PaymentsTable', 'payment_id'), 'by_order', 'order_id'),
      idempotency: table('IdempotencyTable', 'id', { timeToLiveAttribute: 'expiration' }),
      notificationPreferences: table('NotificationPreferencesTable', 'user_id'),
      // newest first by user, order, status or channel: each index sorted by `<created_at>#<id>`
      notifications: HISTORY_INDEXES.reduce(
        (t, i) => withIndex(t, i.name, i.partition, HISTORY_SORT),
        table('NotificationsTable', HISTORY_KEY, { timeToLiveAttribute: HISTORY_TTL }),
      ),
      notificationOrders: table('NotificationOrdersTable', 'order_id', { timeToLiveAttribute: 'expires_at' }),
    };
  }

  private buildBus(): OrderEventsBus {
    const bus = new events.EventBus(this, 'OrderEventsBus', { eventBusName: 'ecommerce-orders', description: 'Order outcomes for outside subscribers' });
    bus.archive('OrderEventsArchive', {
      archiveName: 'ecommerce-orders-archive',
      description: 'Every order outcome, for replay',
      eventPattern: { source: ['ecommerce.orders'] },
      retention: Duration.days(365),
    });
    return { bus };
  }

  private buildKafka(): KafkaCluster {
    const selfManaged = this.node.tryGetContext(SELF_MANAGED_KAFKA_CONTEXT) as string | undefined;
    if (selfManaged) {
      const bootstrapServers = String(selfManaged)
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean);
      if (!bootstrapServers.every((b) => /^[A-Za-z0-9.-]+:\d+$/.test(b))) {
        throw new Error(`context ${SELF_MANAGED_KAFKA_CONTEXT} must be host:port[,host:port], got ${selfManaged}`);
      }
      // no cluster ARN exists; this name stands in where policies and metrics name the cluster
      const clusterName = 'ecommerce-events';
      return { clusterArn: `arn:${this.partition}:kafka:${this.region}:${this.account}:cluster/${clusterName}/self-managed`, clusterName, bootstrapServers };
    }
    const sg = new ec2.SecurityGroup(this, 'KafkaSg', { vpc: this.network.vpc, description: 'MSK Serverless', allowAllOutbound: false });
    sg.addIngressRule(this.network.functions, ec2.Port.tcp(9098), 'functions to MSK (IAM auth)');
    sg.addIngressRule(sg, ec2.Port.tcp(9098), 'Lambda event source mappings run in the cluster security group');
    const clusterName = 'ecommerce-events';
    const cluster = new msk.CfnServerlessCluster(this, 'Kafka', {
      clusterName,
      clientAuthentication: { sasl: { iam: { enabled: true } } },
      vpcConfigs: [{ subnetIds: this.network.vpc.privateSubnets.map((s) => s.subnetId), securityGroups: [sg.securityGroupId] }],
    });
    for (const [topicName, partitionCount] of Object.entries(TOPICS)) {
      new msk.CfnTopic(this, `Topic-${topicName}`, { clusterArn: cluster.attrArn, topicName, partitionCount, replicationFactor: 3 });
    }
    return { clusterArn: cluster.attrArn, clusterName };
  }

  private buildSearch(): SearchDomain {
    const sg = new ec2.SecurityGroup(this, 'SearchSg', { vpc: this.network.vpc, description: 'OpenSearch domain', allowAllOutbound: false });
    sg.addIngressRule(this.network.functions, ec2.Port.tcp(443), 'functions to OpenSearch');
    const domain = new opensearch.Domain(this, 'Search', {
      version: opensearch.EngineVersion.OPENSEARCH_2_19,
      vpc: this.network.vpc,
      vpcSubnets: [{ subnets: this.network.vpc.privateSubnets.slice(0, 2) }],
      securityGroups: [sg],
      capacity: { dataNodes: 2, dataNodeInstanceType: 'r7g.large.search', multiAzWithStandbyEnabled: false },
      zoneAwareness: { enabled: true, availabilityZoneCount: 2 },
      ebs: { volumeSize: 20, volumeType: ec2.EbsDeviceVolumeType.GP3 },
      encryptionAtRest: { enabled: true },
      nodeToNodeEncryption: true,
      enforceHttps: true,
      tlsSecurityPolicy: opensearch.TLSSecurityPolicy.TLS_1_2,
      logging: { slowSearchLogEnabled: true, slowIndexLogEnabled: true, appLogEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
      // IAM decides: only SigV4-signed requests of this account's principals whose own policy
      // allows es:ESHttp* on this domain (the catalog functions) get in.
      accessPolicies: [
        new iam.PolicyStatement({
          principals: [new iam.AccountPrincipal(this.account)],
          actions: ['es:ESHttp*'],
          resources: [`arn:${this.partition}:es:${this.region}:${this.account}:domain/*`],
        }),
      ],
    });
    Validations.of(domain).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-OS4',
        reason: 'Two data nodes across two AZs serve a catalog of this size; dedicated masters are a scale-up step, not a need',
      },
      {
        id: 'AwsSolutions::AwsSolutions-OS3',
        reason: "The domain lives in private subnets, reachable only from the functions' security group, and every request is SigV4-signed (IAM)",
      },
    );
    // CDK's helper that grants OpenSearch access to its log groups is a Lambda-backed custom
    // resource: its policy (under the domain) and its singleton provider function (under the stack).
    Validations.of(domain).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: 'logs:PutResourcePolicy / DeleteResourcePolicy of the OpenSearch log-policy custom resource take no resource-level permission',
    });
    const provider = this.node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287');
    if (provider) {
      Validations.of(provider).acknowledge(
        {
          id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason: "CDK's AwsCustomResource provider (log resource policy for OpenSearch) uses the AWS managed basic execution policy: logs only",
        },
        { id: 'AwsSolutions::AwsSolutions-L1', reason: "CDK's own AwsCustomResource provider: its runtime is chosen by the CDK release" },
      );
    }
    return { domain };
  }

  private buildCache(): Cache {
    const sg = new ec2.SecurityGroup(this, 'CacheSg', { vpc: this.network.vpc, description: 'ElastiCache Serverless', allowAllOutbound: false });
    sg.addIngressRule(this.network.functions, ec2.Port.tcp(6379), 'functions to the cache');
    const cache = new elasticache.CfnServerlessCache(this, 'Cache', {
      serverlessCacheName: 'ecommerce-cache',
      engine: 'valkey',
      majorEngineVersion: '8',
      securityGroupIds: [sg.securityGroupId],
      subnetIds: this.network.vpc.privateSubnets.map((s) => s.subnetId),
    });
    return { host: cache.attrEndpointAddress, port: cache.attrEndpointPort, arn: cache.attrArn };
  }
}
