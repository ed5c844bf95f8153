/**
 * The Kafka client of every function. Brokers come from KAFKA_BROKERS when set (the local
 * cloud sets it), else from MSK's GetBootstrapBrokers for KAFKA_CLUSTER_ARN, once per execution
 * environment. Authentication is IAM on MSK (KAFKA_AUTH=iam, AWS's MSK IAM signer as an
 * OAUTHBEARER token) and none on the local broker (KAFKA_AUTH=none). One idempotent producer per
 * execution environment, connected on first use and kept warm between invocations.
 */
import { GetBootstrapBrokersCommand, KafkaClient } from '@aws-sdk/client-kafka';
import { generateAuthToken } from 'aws-msk-iam-sasl-signer-js';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { requiredEnv, optionalEnv } from '../config';
import type { EventEnvelope } from './envelope';
import { topicFor } from './envelope';

let kafka: Promise<Kafka> | undefined;
let producer: Promise<Producer> | undefined;

async function bootstrapBrokers(): Promise<string[]> {
  const configured = process.env.KAFKA_BROKERS;
  let list = configured;
  if (!list) {
    const out = await new KafkaClient({}).send(new GetBootstrapBrokersCommand({ ClusterArn: requiredEnv('KAFKA_CLUSTER_ARN') }));
    list = out.BootstrapBrokerStringSaslIam ?? out.BootstrapBrokerString;
    if (!list) throw new Error('MSK returned no bootstrap brokers');
  }
  return list.split(',').map((b) => b.trim()).filter(Boolean);
}

export function kafkaClient(clientId = optionalEnv('POWERTOOLS_SERVICE_NAME', 'ecommerce')): Promise<Kafka> {
  if (!kafka) {
    kafka = buildClient(clientId);
    kafka.catch(() => (kafka = undefined));
  }
  return kafka;
}

async function buildClient(clientId: string): Promise<Kafka> {
  const brokers = await bootstrapBrokers();
  const iam = optionalEnv('KAFKA_AUTH', 'iam') === 'iam';
  const region = optionalEnv('AWS_REGION', 'us-east-1');
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.ERROR,
    ssl: iam,
    sasl: iam
      ? {
          mechanism: 'oauthbearer',
          oauthBearerProvider: async () => {
            const token = await generateAuthToken({ region });
            return { value: token.token };
          },
        }
      : undefined,
    retry: { retries: 5, initialRetryTime: 100 },
  });
}

export function sharedProducer(): Promise<Producer> {
  if (!producer) {
    producer = kafkaClient().then(async (k) => {
      const p = k.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await p.connect();
      return p;
    });
    producer.catch(() => (producer = undefined)); // a failed connect is retried on the next call
  }
  return producer;
}

/** Kafka message of an event: keyed by subject, with the id and type as headers. */
export function toMessage(event: EventEnvelope, serialized = JSON.stringify(event)) {
  return {
    key: event.subject,
    value: serialized,
    headers: { event_id: event.id, event_type: event.type, ...(event.trace ? { 'x-amzn-trace-id': event.trace } : {}) },
  };
}

export type KafkaMessage = ReturnType<typeof toMessage>;

/** Sends messages in one produce call, grouped by topic, acknowledged by all in-sync replicas. */
export async function sendToTopics(entries: Array<{ topic: string; message: KafkaMessage }>): Promise<void> {
  if (!entries.length) return;
  const byTopic = new Map<string, KafkaMessage[]>();
  for (const { topic, message } of entries) byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
  const p = await sharedProducer();
  await p.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
}

/** Publishes events directly (for changes whose stream is their outbox, such as stock levels). */
export function publish(events: EventEnvelope[]): Promise<void> {
  return sendToTopics(events.map((e) => ({ topic: topicFor(e), message: toMessage(e) })));
}
