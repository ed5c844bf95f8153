/**
 * Kafka protocol error codes the broker answers with, and the error classes the broker
 * throws internally. Codes are the ones from Kafka's `Errors` enum (protocol guide, "Error Codes").
 */

export const ErrorCode = {
  UNKNOWN_SERVER_ERROR: -1,
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  MESSAGE_TOO_LARGE: 10,
  OFFSET_METADATA_TOO_LARGE: 12,
  COORDINATOR_NOT_AVAILABLE: 15,
  INVALID_TOPIC_EXCEPTION: 17,
  INVALID_REQUIRED_ACKS: 21,
  ILLEGAL_GENERATION: 22,
  INCONSISTENT_GROUP_PROTOCOL: 23,
  INVALID_GROUP_ID: 24,
  UNKNOWN_MEMBER_ID: 25,
  INVALID_SESSION_TIMEOUT: 26,
  REBALANCE_IN_PROGRESS: 27,
  UNSUPPORTED_VERSION: 35,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_REQUEST: 42,
  UNSUPPORTED_FOR_MESSAGE_FORMAT: 43,
  OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
  INVALID_PRODUCER_EPOCH: 47,
  INVALID_TXN_STATE: 48,
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 53,
  NON_EMPTY_GROUP: 68,
  GROUP_ID_NOT_FOUND: 69,
  UNSUPPORTED_COMPRESSION_TYPE: 76,
  INVALID_RECORD: 87,
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error that maps to one Kafka error code in a response (partition-, topic- or request-level). */
export class KafkaProtocolError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'KafkaProtocolError';
  }
}

/**
 * A request that cannot be parsed (truncated frame, bad length, bad string). Kafka answers these
 * by closing the connection, and so does this broker.
 */
export class MalformedRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedRequestError';
  }
}

/** An API key or version this broker does not implement (see protocol/registry.ts). */
export class UnsupportedApiError extends Error {
  constructor(
    readonly apiKey: number,
    readonly apiVersion: number,
  ) {
    super(`unsupported api key ${apiKey} version ${apiVersion}`);
    this.name = 'UnsupportedApiError';
  }
}

/** Storage found on disk that it cannot make sense of (bad topics file, unreadable segment). */
export class StorageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageError';
  }
}

/** The broker is closing; operations in flight are abandoned. */
export class BrokerClosedError extends Error {
  constructor() {
    super('broker is closed');
    this.name = 'BrokerClosedError';
  }
}
