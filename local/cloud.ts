/**
 * The local cloud: starts the backing services, deploys the synthesized CDK app onto them and
 * answers on 127.0.0.1. `startLocalCloud` is what `npm start` runs and what the integration
 * tests start; it resolves once the API answers, and `stop()` ends every child process.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createApiGateway } from './apigateway';
import { ApiKeyStore } from './api-keys';
import type { LocalCloudConfig } from './config';
import { startDynamoDbLocal } from './dynamodb';
import { findFreePort } from './dynamodb/ports';
import { readCloudAssembly } from './deployer/cloud-assembly';
import { deploy, type Deployment } from './deployer/deploy';
import { startEdge } from './edge';
import { startMappings, type RunningMapping } from './esm';
import { createControlApiHandler } from './esm/api';
import { createKafkaBroker } from './kafka';
import { createLambdaApiHandler, LambdaRuntime } from './lambda';
import { createOpenSearchServer } from './opensearch';
import { startRedis } from './redis';
import { ensureSynthesized } from './synth';
import { SAMPLE_PRODUCTS } from './seed/sample-products';

export interface Endpoints {
  api_url: string;
  api_stage_url: string;
  stage: string;
  api_key: string;
  api_keys: Record<string, string>;
  edge_url: string;
  region: string;
  services: Record<string, string>;
  functions: string[];
  data_dir: string;
  started_at: string;
}

export interface LocalCloud {
  endpoints: Endpoints;
  deployment: Deployment;
  lambda: LambdaRuntime;
  /** resolves when the background part of the sample data is loaded */
  seeding: Promise<void>;
  stop(): Promise<void>;
}

type Stopper = { name: string; stop: () => Promise<void> };

export async function startLocalCloud(config: LocalCloudConfig, progress: (m: string) => void = () => {}): Promise<LocalCloud> {
  const started = Date.now();
  const step = (m: string) => progress(`[${((Date.now() - started) / 1000).toFixed(1).padStart(4)}s] ${m}`);
  const stoppers: Stopper[] = [];
  const stopAll = async () => {
    for (const s of stoppers.reverse()) await s.stop().catch((err: Error) => progress(`stopping ${s.name}: ${err.message}`));
    stoppers.length = 0;
  };

  try {
    if (config.fresh) rmSync(config.dataDir, { recursive: true, force: true });
    const dirs = {
      dynamodb: path.join(config.dataDir, 'dynamodb'),
      redis: path.join(config.dataDir, 'redis'),
      kafka: path.join(config.dataDir, 'kafka'),
      opensearch: path.join(config.dataDir, 'opensearch'),
      logs: path.join(config.dataDir, 'logs'),
    };
    for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
    // endpoints of an earlier run would point at ports nobody answers on any more
    rmSync(path.join(config.dataDir, 'endpoints.json'), { force: true });
    const freshData = config.fresh;

    // synth (when stale) while the backing services boot
    step('starting DynamoDB Local, Redis, Kafka and OpenSearch; checking the CDK assembly');
    const [synthesized, dynamo, redis, kafka, search] = await Promise.all([
      ensureSynthesized(config.projectDir, step),
      startDynamoDbLocal({ port: config.ports.dynamodb, dataDir: dirs.dynamodb, log: step }).then((d) => {
        stoppers.push({ name: 'DynamoDB Local', stop: d.stop });
        return d;
      }),
      startRedis({ port: config.ports.redis, dataDir: dirs.redis, log: step }).then((r) => {
        stoppers.push({ name: 'Redis', stop: r.stop });
        return r;
      }),
      findFreePort(config.ports.kafka).then((port) =>
        // the event source mappings (the only consumers) live in this process: no group member outlives a restart
        createKafkaBroker({ port, dataDir: dirs.kafka, autoCreateTopics: false, restoreGroupMembers: false, log: step }).then((k) => {
          stoppers.push({ name: 'Kafka', stop: () => k.close() });
          return k;
        }),
      ),
      findFreePort(config.ports.opensearch).then((port) =>
        createOpenSearchServer({ port, dataDir: dirs.opensearch, log: step }).then((o) => {
          stoppers.push({ name: 'OpenSearch', stop: () => o.close() });
          return o;
        }),
      ),
    ]);
    step(
      `DynamoDB Local ${dynamo.endpoint}, Redis ${redis.url}, Kafka ${kafka.bootstrap}, OpenSearch ${search.url}` +
        (synthesized ? '; app synthesized' : '; cdk.out up to date'),
    );

    let mappings: RunningMapping[] = [];
    const lambda = new LambdaRuntime({
      defaultConcurrency: config.lambdaConcurrency,
      queueOverLocalLimit: true,
      log: step,
      onLog: (fn, line) => appendFileSync(path.join(dirs.logs, `${fn}.log`), line.endsWith('\n') ? line : `${line}\n`),
    });
    stoppers.push({ name: 'Lambda runtime', stop: () => lambda.close() });

    const edge = await startEdge({
      port: config.ports.edge,
      log: step,
      services: [
        { name: 'dynamodb', targets: ['DynamoDB_20120810.', 'DynamoDBStreams_20120810.'], forwardTo: dynamo.endpoint },
        { name: 'lambda', route: createLambdaApiHandler(lambda) },
        { name: 'lambda-control', route: createControlApiHandler({ runtime: lambda, mappings: () => mappings, region: config.region }) },
      ],
    });
    stoppers.push({ name: 'edge', stop: edge.close });

    const keys = new ApiKeyStore(path.join(config.dataDir, 'api-keys.json'));
    const dynamodb = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: config.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const deployment = await deploy(readCloudAssembly(path.join(config.projectDir, 'cdk.out')), {
      region: config.region,
      accountId: config.accountId,
      dynamodb,
      workDir: config.dataDir,
      log: step,
      apiKeyValue: (id, name) => keys.value(id, name),
      local: { kafkaBootstrap: kafka.bootstrap, opensearchHostPort: `127.0.0.1:${search.port}`, redisHost: redis.host, redisPort: redis.port },
      createTopic: (name, partitions) => kafka.createTopic(name, partitions),
      functionEnvironment: {
        AWS_ENDPOINT_URL: edge.url,
        AWS_REGION: config.region,
        AWS_DEFAULT_REGION: config.region,
        // Local placeholders: DynamoDB Local and the emulators accept any credentials.
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
        AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
        LOCAL_CLOUD: '1',
        // Local transport settings, the only values that differ from AWS: on loopback the
        // stand-ins of MSK, OpenSearch and ElastiCache speak plaintext without IAM auth.
        KAFKA_BROKERS: kafka.bootstrap,
        KAFKA_AUTH: 'none',
        OPENSEARCH_TLS: 'false',
        OPENSEARCH_AUTH: 'none',
        REDIS_TLS: 'false',
        ...(config.faultInjection ? { FAULT_INJECTION_ENABLED: 'true' } : {}),
      },
    });
    dynamodb.destroy();
    for (const fn of deployment.functions) lambda.register(fn);
    step(`deployed ${deployment.tables.length} tables, ${deployment.functions.length} functions, ${deployment.apis.length} REST API`);
    if (deployment.notEmulated.size) {
      step(`not emulated yet: ${[...deployment.notEmulated].map(([t, n]) => `${t} (${n})`).join(', ')}`);
    }
    step(`accepted without local effect: ${[...deployment.accepted].map(([t, n]) => `${t} (${n})`).join(', ')}`);

    mappings = await startMappings(
      deployment.resources
        .filter((r) => r.type === 'AWS::Lambda::EventSourceMapping')
        .map((r) => ({
          uuid: r.ref,
          functionName: String(r.properties.FunctionName).split(':function:').pop()!.split(':')[0]!,
          eventSourceArn: String(r.properties.EventSourceArn),
          properties: r.properties,
        })),
      {
        region: config.region,
        dataDir: config.dataDir,
        dynamodbEndpoint: dynamo.endpoint,
        kafkaBootstrap: (arn) => deployment.kafkaClusters.get(arn),
        invoke: (fn, event) => lambda.invoke(fn, event),
        log: step,
      },
    );
    stoppers.push({ name: 'event source mappings', stop: async () => void (await Promise.all(mappings.map((m) => m.stop()))) });
    if (mappings.length) step(`started ${mappings.length} event source mappings`);

    const gateway = await createApiGateway({
      port: config.ports.api,
      apis: deployment.apis,
      invoke: (fn, event, o) => lambda.invoke(fn, event, { traceHeader: o.traceHeader }),
      statePath: path.join(config.dataDir, 'apigateway-state.json'),
      log: step,
    });
    stoppers.push({ name: 'API Gateway', stop: gateway.close });

    const api = deployment.apis[0];
    if (!api) throw new Error('the template has no REST API');
    const keyByPlan: Record<string, string> = {};
    for (const plan of api.usagePlans) {
      const key = api.apiKeys.find((k) => plan.keyIds.includes(k.id));
      if (key) keyByPlan[plan.name.replace(/^ecommerce-/, '')] = key.value;
    }
    const endpoints: Endpoints = {
      api_url: gateway.url,
      api_stage_url: `${gateway.url}/${api.stageName}`,
      stage: api.stageName,
      api_key: keyByPlan.standard ?? api.apiKeys[0]?.value ?? '',
      api_keys: keyByPlan,
      edge_url: edge.url,
      region: config.region,
      services: {
        apigateway: gateway.url,
        edge: edge.url,
        lambda: edge.url,
        dynamodb: dynamo.endpoint,
        redis: redis.url,
        kafka: kafka.bootstrap,
        opensearch: search.url,
      },
      functions: deployment.functions.map((f) => f.name),
      data_dir: config.dataDir,
      started_at: new Date().toISOString(),
    };

    let seeding: Promise<void> = Promise.resolve();
    const abortSeeding = new AbortController();
    if (freshData && config.seed) {
      // The first products go in before "ready" so the first search finds something; the rest
      // load in the background. Their stock reaches Inventory through the catalog events.
      const key = keyByPlan.internal ?? endpoints.api_key;
      await seedProducts(endpoints, key, SAMPLE_PRODUCTS.slice(0, FIRST_BATCH));
      await waitSearchable(endpoints, key, SAMPLE_PRODUCTS[0]!.product_id, 10_000);
      step(`loaded ${FIRST_BATCH} sample products; ${SAMPLE_PRODUCTS.length - FIRST_BATCH} more load in the background`);
      seeding = seedProducts(endpoints, key, SAMPLE_PRODUCTS.slice(FIRST_BATCH), abortSeeding.signal).then(
        () => progress(`sample catalog loaded: ${SAMPLE_PRODUCTS.length} products`),
        (err: Error) => {
          if (!abortSeeding.signal.aborted) progress(`loading the sample catalog failed: ${err.message}`);
        },
      );
    }
    writeFileSync(path.join(config.dataDir, 'endpoints.json'), JSON.stringify(endpoints, null, 2) + '\n');
    step('ready');
    return {
      endpoints,
      deployment,
      lambda,
      seeding,
      stop: async () => {
        abortSeeding.abort(); // a stop during the background load leaves the rest for the next --fresh
        await seeding;
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

const FIRST_BATCH = 24;
const SEED_CONCURRENCY = 8;

/** Creates products through the API, a few at a time; 409 means it is already there. */
async function seedProducts(endpoints: Endpoints, key: string, products: ReadonlyArray<{ product_id: string }>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < products.length && !signal?.aborted) {
      const product = products[next++]!;
      const res = await fetch(`${endpoints.api_url}/api/catalog`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: JSON.stringify(product),
        signal,
      });
      if (res.status !== 201 && res.status !== 200 && res.status !== 409) {
        throw new Error(`seeding ${product.product_id}: HTTP ${res.status} ${await res.text()}`);
      }
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
}

async function waitSearchable(endpoints: Endpoints, key: string, productId: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const res = await fetch(`${endpoints.api_url}/api/catalog?limit=1`, { headers: { 'x-api-key': key } });
    if (res.status === 200 && ((await res.json()) as { count?: number }).count) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sample product ${productId} did not reach the search index in ${timeoutMs / 1000}s`);
}
