/**
 * Embedded Kafka broker for the local cloud (see broker.ts). It depends on no npm package; the
 * Lambda-style event source mapping that feeds functions from it lives with the other mappings
 * in local/esm/kafka.ts.
 */
export { createKafkaBroker } from './broker';
export type { KafkaBroker, KafkaBrokerOptions } from './broker';
