/**
 * Turns the template's AWS::Lambda::EventSourceMapping resources into running pollers:
 * DynamoDB Streams mappings read DynamoDB Local's streams; MSK mappings join a consumer group
 * on the local Kafka broker. Failed batches go to the on-failure destination, which locally is
 * a JSON-lines file per destination in the data folder (`failures/<name>.jsonl`).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { startKafkaEventSourceMapping, type KafkaEventSourceMapping } from './kafka';
import type { InvokeResult } from '../lambda';
import { DynamoDbStreamMapping } from './dynamodb-streams';
import { kafkaBatchTrace } from './tracing';

export interface MappingSpec {
  uuid: string;
  functionName: string;
  eventSourceArn: string;
  properties: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface MappingEnvironment {
  region: string;
  dataDir: string;
  dynamodbEndpoint: string;
  /** MSK cluster ARN -> local bootstrap servers */
  kafkaBootstrap(clusterArn: string): string | undefined;
  invoke(functionName: string, event: unknown, opts?: { traceHeader?: string }): Promise<InvokeResult>;
  /** where the Kafka pollers' segments go (./tracing.ts); none: no segments, no trace continued */
  tracing?: { put(doc: import('../xray/segments').SegmentDocument): void };
  /** sends a message to an SQS queue by ARN (on-failure destinations), when SQS is emulated */
  sendToQueue?(queueArn: string, body: string): void;
  log(m: string): void;
}

export interface RunningMapping {
  spec: MappingSpec;
  kind: 'dynamodb' | 'kafka';
  enabled: boolean;
  /** pauses or resumes polling (UpdateEventSourceMapping Enabled) */
  setEnabled(enabled: boolean): Promise<void>;
  stop(): Promise<void>;
}

async function invokeOrThrow(env: MappingEnvironment, fn: string, event: unknown, traceHeader?: string): Promise<unknown> {
  const result = traceHeader ? await env.invoke(fn, event, { traceHeader }) : await env.invoke(fn, event);
  if (result.status === 'ok') return result.payload;
  throw new Error(`${result.errorType}: ${result.errorMessage}`);
}

/**
 * Where batches given up on go: the mapping's on-failure destination. An SQS queue gets an
 * invocation record (the batch's metadata, plus its records, as a message); without a local SQS,
 * or without a destination, a JSON line in DATA/failures/<name>.jsonl keeps it.
 */
function failureSink(env: MappingEnvironment, spec: MappingSpec) {
  const destination: string | undefined = spec.properties.DestinationConfig?.OnFailure?.Destination;
  const name = destination ? destination.split(':').pop()! : 'unrouted';
  return async (info: Record<string, unknown>) => {
    env.log(`event source mapping ${spec.uuid} (${spec.functionName}): batch sent to on-failure destination ${name}`);
    const record = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: { functionArn: spec.functionName, condition: 'RetryAttemptsExhausted', approximateInvokeCount: info.attempts },
      mapping: spec.uuid,
      source: spec.eventSourceArn,
      ...info,
    };
    if (destination?.startsWith('arn:aws:sqs:') && env.sendToQueue) {
      try {
        return env.sendToQueue(destination, JSON.stringify(record));
      } catch (err) {
        // e.g. a batch over SQS's 256 KiB: kept in the file instead, never dropped
        env.log(`event source mapping ${spec.uuid}: on-failure queue ${name} refused the record (${(err as Error).message}); kept in failures/${name}.jsonl`);
      }
    }
    const dir = path.join(env.dataDir, 'failures');
    mkdirSync(dir, { recursive: true });
    appendFileSync(path.join(dir, `${name}.jsonl`), JSON.stringify(record) + '\n');
  };
}

function filtersOf(spec: MappingSpec) {
  return ((spec.properties.FilterCriteria?.Filters ?? []) as Array<{ Pattern: string }>).map((f) => JSON.parse(f.Pattern));
}

export async function startMappings(specs: MappingSpec[], env: MappingEnvironment): Promise<RunningMapping[]> {
  const running: RunningMapping[] = [];
  for (const spec of specs) {
    const p = spec.properties;
    if (p.Enabled === false) continue;
    const onFailure = failureSink(env, spec);
    if (spec.eventSourceArn.includes(':dynamodb:') && spec.eventSourceArn.includes('/stream/')) {
      mkdirSync(path.join(env.dataDir, 'esm'), { recursive: true });
      const mapping = new DynamoDbStreamMapping({
        uuid: spec.uuid,
        endpoint: env.dynamodbEndpoint,
        region: env.region,
        streamArn: spec.eventSourceArn,
        batchSize: p.BatchSize ?? 100,
        maximumBatchingWindowMs: (p.MaximumBatchingWindowInSeconds ?? 0) * 1000,
        startingPosition: p.StartingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON',
        maximumRetryAttempts: p.MaximumRetryAttempts ?? -1,
        bisectBatchOnError: Boolean(p.BisectBatchOnFunctionError),
        reportBatchItemFailures: (p.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
        filters: filtersOf(spec),
        checkpointFile: path.join(env.dataDir, 'esm', `${spec.uuid}.json`),
        invoke: (event) => invokeOrThrow(env, spec.functionName, event),
        onFailure: (info) => onFailure({ error: info.error, attempts: info.attempts, DDBStreamBatchInfo: { batchSize: info.records.length }, records: info.records }),
        log: env.log,
      });
      mapping.start();
      running.push({
        spec,
        kind: 'dynamodb',
        enabled: true,
        async setEnabled(enabled) {
          mapping.enabled = enabled;
          this.enabled = enabled;
        },
        stop: () => mapping.stop(),
      });
    } else if (spec.eventSourceArn.includes(':kafka:')) {
      const bootstrap = env.kafkaBootstrap(spec.eventSourceArn);
      if (!bootstrap) {
        env.log(`event source mapping ${spec.uuid}: no local broker for ${spec.eventSourceArn}`);
        continue;
      }
      const start = () => startKafkaEventSourceMapping({
        bootstrap,
        topics: p.Topics ?? [],
        groupId: p.AmazonManagedKafkaEventSourceConfig?.ConsumerGroupId ?? spec.uuid,
        batchSize: p.BatchSize ?? 100,
        maximumBatchingWindowMs: p.MaximumBatchingWindowInSeconds !== undefined ? p.MaximumBatchingWindowInSeconds * 1000 : undefined,
        startingPosition: p.StartingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON',
        maximumRetryAttempts: p.MaximumRetryAttempts ?? 2,
        eventSourceArn: spec.eventSourceArn,
        invoke: async (event) => {
          const trace = env.tracing ? kafkaBatchTrace(spec.functionName, spec.properties.FunctionName, event, env.tracing) : undefined;
          try {
            await invokeOrThrow(env, spec.functionName, event, trace?.header);
          } catch (err) {
            trace?.end((err as Error).message);
            throw err;
          }
          trace?.end();
        },
        onFailure: (f) => onFailure({ error: f.error, attempts: f.attempts, KafkaBatchInfo: { records: Object.values(f.event.records).flat().length }, event: f.event }),
        log: env.log,
      });
      // Joining the consumer group can wait out a rebalance, so it happens in the background:
      // the records wait in Kafka meanwhile, and start-up is not held up.
      let mapping: Promise<KafkaEventSourceMapping | undefined> = start().catch((err: Error) => {
        env.log(`event source mapping ${spec.uuid} (${spec.functionName}): ${err.message}`);
        return undefined;
      });
      running.push({
        spec,
        kind: 'kafka',
        enabled: true,
        async setEnabled(enabled) {
          const current = await mapping;
          if (enabled && !current) mapping = start(); // rejoins the group at its committed offsets
          if (!enabled && current) {
            await current.stop();
            mapping = Promise.resolve(undefined);
          }
          this.enabled = enabled;
        },
        stop: async () => (await mapping)?.stop(),
      });
    } else {
      env.log(`event source mapping ${spec.uuid}: source ${spec.eventSourceArn} is not emulated`);
    }
  }
  return running;
}
