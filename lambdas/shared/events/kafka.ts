/**
 * The Kafka producer of the functions that publish. Brokers come from the settings when given
 * (the local cloud sets KAFKA_BROKERS), else from MSK's GetBootstrapBrokers for the cluster,
 * once per execution environment. Authentication is IAM on MSK (AWS's MSK IAM signer as an
 * OAUTHBEARER token) and none on the local broker. One idempotent producer per execution
 * environment, connected on first use and kept warm between invocations.
 */
import { GetBootstrapBrokersCommand, KafkaClient } from '@aws-sdk/client-kafka';
import { generateAuthToken } from 'aws-msk-iam-sasl-signer-js';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { KafkaSettings } from '../env';
import type { EventEnvelope } from './envelope';
import { topicFor } from './envelope';
import { startPublishSpans } from './trace';

/** Kafka message of an event: keyed by subject, with the id and type as headers. */
export function toMessage(event: EventEnvelope, serialized = JSON.stringify(event)) {
  return {
    key: event.subject,
    value: serialized,
    headers: { event_id: event.id, event_type: event.type, ...(event.trace ? { 'x-amzn-trace-id': event.trace } : {}) },
  };
}

export type KafkaMessage = ReturnType<typeof toMessage>;

export interface KafkaPublisher {
  /** Sends messages in one produce call, grouped by topic, acknowledged by all in-sync replicas. */
  send(entries: Array<{ topic: string; message: KafkaMessage }>): Promise<void>;
  /** Publishes events directly (for changes whose stream is their outbox, such as stock levels). */
  publish(events: EventEnvelope[]): Promise<void>;
}

async function bootstrapBrokers(settings: KafkaSettings): Promise<string[]> {
  if (settings.brokers.length) return settings.brokers;
  const out = await new KafkaClient({ region: settings.region }).send(new GetBootstrapBrokersCommand({ ClusterArn: settings.clusterArn }));
  const list = out.BootstrapBrokerStringSaslIam ?? out.BootstrapBrokerString;
  if (!list) throw new Error('MSK returned no bootstrap brokers');
  return list.split(',').map((b) => b.trim()).filter(Boolean);
}

async function connect(settings: KafkaSettings): Promise<Kafka> {
  const iam = settings.auth === 'iam';
  return new Kafka({
    clientId: settings.clientId,
    brokers: await bootstrapBrokers(settings),
    logLevel: logLevel.ERROR,
    ssl: iam,
    sasl: iam
      ? {
          mechanism: 'oauthbearer',
          oauthBearerProvider: async () => {
            const token = await generateAuthToken({ region: settings.region });
            return { value: token.token };
          },
        }
      : undefined,
    retry: { retries: 5, initialRetryTime: 100 },
  });
}

/** A publisher over one lazily connected producer; a failed connect is retried on the next call. */
export function kafkaPublisher(settings: KafkaSettings): KafkaPublisher {
  let producer: Promise<Producer> | undefined;
  const connected = (): Promise<Producer> => {
    if (!producer) {
      producer = connect(settings).then(async (kafka) => {
        const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
        await p.connect();
        return p;
      });
      producer.catch(() => (producer = undefined));
    }
    return producer;
  };

  const send: KafkaPublisher['send'] = async (entries) => {
    if (!entries.length) return;
    // each event's publish shows in the event's own trace, and its record carries that span as Parent (./trace.ts)
    const spans = startPublishSpans(entries.map((e) => ({ topic: e.topic, header: e.message.headers['x-amzn-trace-id'], key: e.message.key })));
    const byTopic = new Map<string, KafkaMessage[]>();
    entries.forEach(({ topic, message }, i) => {
      const header = spans.headers[i];
      const traced = header ? { ...message, headers: { ...message.headers, 'x-amzn-trace-id': header } } : message;
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), traced]);
    });
    try {
      const p = await connected();
      await p.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    } catch (err) {
      spans.end(err as Error);
      throw err;
    }
    spans.end();
  };

  return {
    send,
    publish: (events) => send(events.map((e) => ({ topic: topicFor(e), message: toMessage(e) }))),
  };
}
