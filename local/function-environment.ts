/**
 * What every function's environment gets locally on top of the template's: the one place where
 * the local cloud's configuration differs from AWS's. The AWS SDK finds the edge endpoint through
 * AWS_ENDPOINT_URL, and DynamoDB Local's through AWS_ENDPOINT_URL_DYNAMODB; credentials are placeholders (the local services accept any); and on
 * loopback the stand-ins of MSK, OpenSearch and ElastiCache speak plaintext without IAM auth.
 */
export interface LocalEndpointsForFunctions {
  edgeUrl: string;
  region: string;
  kafkaBootstrap: string;
  /** honour the x-fault-injection header (`--fault-injection`) */
  faultInjection: boolean;
  /** the local X-Ray daemon's UDP address (default 127.0.0.1:2000) */
  xrayDaemonAddress?: string;
  /**
   * DynamoDB Local's own endpoint: the functions' DynamoDB (and DynamoDB Streams) clients go
   * straight to it. None: they go through the edge, which counts their operations.
   */
  dynamodbEndpoint?: string;
}

export function localFunctionEnvironment(e: LocalEndpointsForFunctions): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: e.edgeUrl,
    AWS_REGION: e.region,
    AWS_DEFAULT_REGION: e.region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_XRAY_DAEMON_ADDRESS: e.xrayDaemonAddress ?? '127.0.0.1:2000',
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    LOCAL_CLOUD: '1',
    // The local runtime is Node 20 while the functions run on Lambda's Node 24: the AWS SDK's
    // notice about Node versions is about this machine, not the function, so it stays out of the logs.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    KAFKA_BROKERS: e.kafkaBootstrap,
    KAFKA_AUTH: 'none',
    OPENSEARCH_TLS: 'false',
    OPENSEARCH_AUTH: 'none',
    REDIS_TLS: 'false',
    ...(e.faultInjection ? { FAULT_INJECTION_ENABLED: 'true' } : {}),
    // The SDK's service-specific endpoint settings (as in AWS, where DynamoDB is its own endpoint,
    // not a proxy's): through the edge, every DynamoDB call was a second HTTP exchange in the
    // cloud's main thread, the one thread that also runs the state machines, API Gateway and the
    // pollers. Saga benchmark at 50 clients: 335 -> 275 ms of the cloud's CPU per order.
    ...(e.dynamodbEndpoint ? { AWS_ENDPOINT_URL_DYNAMODB: e.dynamodbEndpoint, AWS_ENDPOINT_URL_DYNAMODB_STREAMS: e.dynamodbEndpoint } : {}),
  };
}
