/**
 * Turns the template's AWS::Lambda::EventSourceMapping resources into running pollers:
 * DynamoDB Streams mappings read DynamoDB Local's streams; MSK mappings join a consumer group
 * on the local Kafka broker. Retry and age limits are the template's, else AWS's defaults (no
 * limit). Failed batches go to the on-failure destination: an SQS queue gets Lambda's
 * on-failure invocation record (on-failure.ts); without a destination, a JSON line in
 * DATA/failures/unrouted.jsonl keeps what Lambda would have dropped.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { startKafkaEventSourceMapping, type KafkaEventSourceMapping } from './kafka';
import type { InvokeResult } from '../lambda';
import { ACCOUNT_ID } from '../lambda/types';
import { DynamoDbStreamMapping } from './dynamodb-streams';
import { invokeOrThrow } from './invocation';
import { ddbStreamFailureRecord, kafkaFailureRecord, type OnFailureRecord } from './on-failure';
import { kafkaBatchTrace } from './tracing';

export interface MappingSpec {
  uuid: string;
  functionName: string;
  eventSourceArn: string;
  properties: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface MappingEnvironment {
  region: string;
  /** default 000000000000 */
  accountId?: string;
  dataDir: string;
  dynamodbEndpoint: string;
  /** MSK cluster ARN -> local bootstrap servers */
  kafkaBootstrap(clusterArn: string): string | undefined;
  invoke(functionName: string, event: unknown, opts?: { traceHeader?: string }): Promise<InvokeResult>;
  /** where the Kafka pollers' segments go (./tracing.ts); none: no segments, no trace continued */
  tracing?: import('../xray').SegmentSink;
  /** sends a message to an SQS queue by ARN (on-failure destinations); throws when refused */
  sendToQueue?(queueArn: string, body: string): void | Promise<void>;
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

/**
 * Where batches given up on go: the mapping's on-failure destination, an SQS queue that gets
 * Lambda's invocation record. A refusal throws, so the poller keeps the batch and tries again
 * (nothing is committed past it). Without a destination Lambda drops the batch; locally a JSON
 * line in DATA/failures/unrouted.jsonl keeps a trace of it.
 */
function failureSink(env: MappingEnvironment, spec: MappingSpec) {
  const destination: string | undefined = spec.properties.DestinationConfig?.OnFailure?.Destination;
  const name = destination ? destination.split(':').pop()! : 'unrouted';
  return async (record: OnFailureRecord) => {
    env.log(`event source mapping ${spec.uuid} (${spec.functionName}): batch sent to on-failure destination ${name} (${record.requestContext.condition})`);
    if (destination?.startsWith('arn:aws:sqs:') && env.sendToQueue) {
      await env.sendToQueue(destination, JSON.stringify(record));
      return;
    }
    const dir = path.join(env.dataDir, 'failures');
    mkdirSync(dir, { recursive: true });
    appendFileSync(path.join(dir, `${name}.jsonl`), JSON.stringify({ mapping: spec.uuid, ...record }) + '\n');
  };
}

/** Seconds in the template (-1 or absent: no limit) to milliseconds. */
const maxAgeMs = (seconds: unknown) => (typeof seconds === 'number' && seconds >= 0 ? seconds * 1000 : -1);

function filtersOf(spec: MappingSpec) {
  return ((spec.properties.FilterCriteria?.Filters ?? []) as Array<{ Pattern: string }>).map((f) => JSON.parse(f.Pattern));
}

/** The FilterCriteria patterns as JSON text, for the EventBridge pattern language (local/eventbridge/pattern). */
function filterTexts(spec: MappingSpec): string[] {
  return ((spec.properties.FilterCriteria?.Filters ?? []) as Array<{ Pattern: string }>).map((f) => f.Pattern);
}

export async function startMappings(specs: MappingSpec[], env: MappingEnvironment): Promise<RunningMapping[]> {
  const running: RunningMapping[] = [];
  for (const spec of specs) {
    const p = spec.properties;
    if (p.Enabled === false) continue;
    const onFailure = failureSink(env, spec);
    const functionArn = `arn:aws:lambda:${env.region}:${env.accountId ?? ACCOUNT_ID}:function:${spec.functionName}`;
    const invoke = (event: unknown) => invokeOrThrow(env.invoke, spec.functionName, event);
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
        maximumRecordAgeMs: maxAgeMs(p.MaximumRecordAgeInSeconds),
        bisectBatchOnError: Boolean(p.BisectBatchOnFunctionError),
        reportBatchItemFailures: (p.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
        parallelizationFactor: p.ParallelizationFactor ?? 1,
        filters: filtersOf(spec),
        checkpointFile: path.join(env.dataDir, 'esm', `${spec.uuid}.json`),
        invoke,
        onFailure: (info) => onFailure(ddbStreamFailureRecord({ ...info, functionArn, streamArn: spec.eventSourceArn })),
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
        // AWS's default for Kafka: retried until the function takes the batch
        maximumRetryAttempts: p.MaximumRetryAttempts ?? -1,
        maximumRecordAgeMs: maxAgeMs(p.MaximumRecordAgeInSeconds),
        eventSourceArn: spec.eventSourceArn,
        filters: filterTexts(spec),
        invoke: async (event) => {
          const trace = env.tracing ? kafkaBatchTrace(spec.functionName, spec.properties.FunctionName, event, env.tracing) : undefined;
          try {
            await invokeOrThrow(env.invoke, spec.functionName, event, trace?.header);
          } catch (err) {
            trace?.end((err as Error).message);
            throw err;
          }
          trace?.end();
        },
        onFailure: (f) => onFailure(kafkaFailureRecord({ ...f, functionArn })),
        log: env.log,
      });
      // Joining the consumer group can wait out a rebalance, so it happens in the background:
      // the records wait in Kafka meanwhile, and start-up is not held up.
      let mapping: Promise<KafkaEventSourceMapping | undefined> = start().catch((err: Error) => {
        env.log(`event source mapping ${spec.uuid} (${spec.functionName}): ${err.message}`);
        return undefined;
      });
      // Enable/disable calls run one after another: two concurrent re-enables must not both
      // see "no consumer" and start two.
      let changes: Promise<void> = Promise.resolve();
      running.push({
        spec,
        kind: 'kafka',
        enabled: true,
        setEnabled(enabled) {
          const change = changes.then(async () => {
            const current = await mapping;
            if (enabled && !current) {
              mapping = start().catch((err: Error) => {
                env.log(`event source mapping ${spec.uuid} (${spec.functionName}): ${err.message}`);
                return undefined;
              }); // rejoins the group at its committed offsets
              await mapping;
            }
            if (!enabled && current) {
              await current.stop();
              mapping = Promise.resolve(undefined);
            }
            this.enabled = enabled;
          });
          changes = change.catch(() => undefined);
          return change;
        },
        stop: async () => {
          await changes;
          await (await mapping)?.stop();
        },
      });
    } else {
      env.log(`event source mapping ${spec.uuid}: source ${spec.eventSourceArn} is not emulated`);
    }
  }
  return running;
}
