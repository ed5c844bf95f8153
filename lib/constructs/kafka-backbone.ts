/**
 * The event backbone as seen by functions: producer and consumer permissions on the MSK
 * cluster's topics and groups (IAM auth), the transactional outbox's publisher (the outbox
 * table's stream -> Kafka), and consumers fed by Kafka event source mappings whose failed
 * batches go to an on-failure queue, not into silence.
 */
import { Duration, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { SqsDlq, DynamoEventSource, SelfManagedKafkaEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { KAFKA_ENV, type KafkaAuth } from '../../lambdas/shared/env';
import { TOPICS, type Topic } from '../../lambdas/shared/events/envelope';
import type { StatefulResources } from '../stateful-stack';
import { ServiceFunction } from './service-function';

/** A rule on an event envelope's `type`, in the event-pattern language of Lambda's filter criteria. */
export type EventTypeRule = string | { prefix: string } | { 'anything-but': string[] };

export interface ConsumerOptions {
  /** consumer group id (one per consuming function) */
  groupId: string;
  /**
   * The event types the function takes (any rule matching): the mapping's filter criteria on the
   * record's value, so the rest never invoke the function, nor cost it a dedup record per event.
   * Absent: every event of the topic.
   */
  eventTypes?: EventTypeRule[];
  batchSize?: number;
  startingPosition?: lambda.StartingPosition;
  maxBatchingWindow?: Duration;
}

/** Lambda filters Kafka records on their value only; the envelope's `type` is a field of it. */
function filtersOf(options: ConsumerOptions): Array<Record<string, unknown>> | undefined {
  return options.eventTypes ? [lambda.FilterCriteria.filter({ value: { type: options.eventTypes } })] : undefined;
}

export class KafkaBackbone extends Construct {
  readonly failures: sqs.Queue;
  readonly publisher: lambda.IFunction;
  private readonly resources: StatefulResources;

  constructor(scope: Construct, id: string, props: { resources: StatefulResources }) {
    super(scope, id);
    this.resources = props.resources;
    const dlqOfDlq = new sqs.Queue(this, 'FailuresOverflow', { enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED, retentionPeriod: Duration.days(14) });
    this.failures = new sqs.Queue(this, 'Failures', {
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
      deadLetterQueue: { queue: dlqOfDlq, maxReceiveCount: 5 },
    });

    // The outbox publisher: every event written to the outbox reaches Kafka, keyed by aggregate.
    const publisher = new ServiceFunction(this, 'OutboxPublisher', {
      service: 'platform',
      entry: 'platform/outbox-publisher.ts',
      description: 'Publishes outbox events to Kafka (transactional outbox)',
      network: this.resources.network,
      timeout: Duration.seconds(30),
      environment: this.kafkaEnvironment(),
    }).fn;
    this.grantProduce(publisher);
    publisher.addEventSource(
      new DynamoEventSource(this.resources.tables.outbox, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        // No batching window: every consumer (the search index, prices, notifications) waits on
        // this read. A 1 s window cut the publisher's invocations under the saga bench from 2.0 to
        // 0.15 per order, but it moved the event pipeline's work to after a burst instead of
        // saving it (600 creates: accepted in 20 s, searchable 19.5 s after, against 22.8 s and
        // 16.3 s without), and added up to a second to every event's latency.
        // Outbox events are never dropped: a batch is retried until it is published (no retry
        // limit, as AWS's default), in order, from the first record that failed. Only a record the
        // stream itself expires (after 24 h of failures) reaches the on-failure queue.
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.failures),
        filters: [lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.isEqual('INSERT') })],
      }),
    );
    this.publisher = publisher;
  }

  /** Environment a function needs to reach Kafka. */
  kafkaEnvironment(): Record<string, string> {
    const brokers = this.resources.kafka.bootstrapServers;
    if (brokers) return { [KAFKA_ENV.brokers]: brokers.join(','), [KAFKA_ENV.auth]: 'none' satisfies KafkaAuth };
    return { [KAFKA_ENV.clusterArn]: this.resources.kafka.clusterArn, [KAFKA_ENV.auth]: 'iam' satisfies KafkaAuth };
  }

  grantProduce(fn: lambda.IFunction, topics: readonly Topic[] | '*' = '*'): void {
    if (this.resources.kafka.bootstrapServers) return; // a self-managed broker: no IAM on its topics
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['kafka-cluster:Connect', 'kafka-cluster:DescribeCluster'], resources: [this.resources.kafka.clusterArn] }));
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['kafka-cluster:WriteData', 'kafka-cluster:DescribeTopic'],
        resources: this.topicArns(topics),
      }),
    );
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['kafka:GetBootstrapBrokers'], resources: [this.resources.kafka.clusterArn] }));
  }

  /** Feeds `fn` from `topic` through an event source mapping in consumer group `groupId`. */
  addConsumer(fn: lambda.IFunction, topic: Topic, options: ConsumerOptions): void {
    if (this.resources.kafka.bootstrapServers) return this.addSelfManagedConsumer(fn, topic, options, this.resources.kafka.bootstrapServers);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['kafka-cluster:Connect', 'kafka-cluster:DescribeCluster'], resources: [this.resources.kafka.clusterArn] }));
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['kafka-cluster:ReadData', 'kafka-cluster:DescribeTopic'], resources: this.topicArns([topic]) }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['kafka-cluster:AlterGroup', 'kafka-cluster:DescribeGroup'],
        resources: [this.groupArn(options.groupId)],
      }),
    );
    this.resources.tables.processedEvents.grantReadWriteData(fn);
    // What Lambda's poller needs, granted inline instead of through the AWS managed
    // AWSLambdaMSKExecutionRole (which CDK's ManagedKafkaEventSource attaches): the cluster's
    // brokers, and the network interfaces of the VPC (covered by the function's VPC access).
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['kafka:DescribeClusterV2', 'kafka:GetBootstrapBrokers'], resources: [this.resources.kafka.clusterArn] }),
    );
    this.failures.grantSendMessages(fn);
    new lambda.EventSourceMapping(this, `${options.groupId}-${topic}`, {
      target: fn,
      eventSourceArn: this.resources.kafka.clusterArn,
      kafkaTopic: topic,
      kafkaConsumerGroupId: options.groupId,
      batchSize: options.batchSize ?? 100,
      // no batching window: a record goes to the function as soon as it is there
      maxBatchingWindow: options.maxBatchingWindow ?? Duration.seconds(0),
      startingPosition: options.startingPosition ?? lambda.StartingPosition.TRIM_HORIZON,
      onFailure: new SqsDlq(this.failures),
      filters: filtersOf(options),
    });
  }

  /**
   * The same consumer on a self-managed Kafka (Redpanda on the LocalStack path): a
   * SelfManagedKafkaEventSource in the functions' VPC (no SASL secret: the broker is reached
   * inside the network), the same group, batch, starting position and on-failure queue.
   */
  private addSelfManagedConsumer(fn: lambda.IFunction, topic: Topic, options: ConsumerOptions, bootstrapServers: string[]): void {
    this.resources.tables.processedEvents.grantReadWriteData(fn);
    this.failures.grantSendMessages(fn);
    fn.addEventSource(
      new SelfManagedKafkaEventSource({
        bootstrapServers,
        topic,
        consumerGroupId: options.groupId,
        batchSize: options.batchSize ?? 100,
        maxBatchingWindow: options.maxBatchingWindow ?? Duration.seconds(0),
        startingPosition: options.startingPosition ?? lambda.StartingPosition.TRIM_HORIZON,
        onFailure: new SqsDlq(this.failures),
        filters: filtersOf(options),
        vpc: this.resources.network.vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        securityGroup: this.resources.network.functions,
      }),
    );
  }

  private clusterResource(kind: 'topic' | 'group', name: string): string {
    const stack = Stack.of(this);
    // cluster: arn:aws:kafka:region:account:cluster/<name>/<uuid>; topic and group ARNs reuse name and uuid
    const uuid = Fn.select(2, Fn.split('/', this.resources.kafka.clusterArn));
    return `arn:${stack.partition}:kafka:${stack.region}:${stack.account}:${kind}/${this.resources.kafka.clusterName}/${uuid}/${name}`;
  }

  /** '*' means every topic of the design, named one by one (no wildcard). */
  private topicArns(topics: readonly Topic[] | '*'): string[] {
    const names = topics === '*' ? (Object.keys(TOPICS) as Topic[]) : topics;
    return names.map((t) => this.clusterResource('topic', t));
  }

  private groupArn(groupId: string): string {
    return this.clusterResource('group', groupId);
  }
}
