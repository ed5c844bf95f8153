/**
 * Embedded Kafka broker for the local cloud, and the Lambda-style event source mapping that
 * feeds a function from it. See broker.ts for the broker, event-source-mapping.ts for the poller.
 */
export { createKafkaBroker } from './broker';
export type { KafkaBroker, KafkaBrokerOptions } from './broker';
export { startKafkaEventSourceMapping } from './event-source-mapping';
export type { KafkaEventSourceMapping, KafkaEventSourceMappingOptions, MskEvent, MskRecord } from './event-source-mapping';
