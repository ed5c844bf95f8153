/**
 * The local cloud: starts the backing services, deploys the synthesized CDK app onto them and
 * answers on 127.0.0.1. `startLocalCloud` is what `npm start` runs and what the integration
 * tests start; it resolves once the API answers, and `stop()` ends every child process. It knows
 * no application: what an app adds (sample data, the key to print) comes in through AppHooks.
 */
import { availableParallelism } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createApiGateway } from './apigateway';
import { createCloudWatch } from './cloudwatch';
import { CONSOLE_PATH, createConsole } from './console';
import { createLogs } from './logs';
import { logSources } from './logs/sources';
import { createXRay, describeSampling } from './xray';
import { ApiKeyStore } from './api-keys';
import type { AppHooks } from './app-hooks';
import type { LocalCloudConfig } from './config';
import { readCloudAssembly } from './deployer/cloud-assembly';
import { deploy, type Deployment } from './deployer/deploy';
import { startDynamoDbLocal } from './dynamodb';
import { startEdge } from './edge';
import { createOpenApiRoute } from './openapi';
import { removeEndpoints, writeEndpoints, type Endpoints } from './endpoints';
import { createEventBridge } from './eventbridge';
import { createSecretsManager } from './secretsmanager';
import { createSesEmulator } from './ses';
import { createSnsEmulator } from './sns';
import { createSqsEmulator } from './sqs';
import { createStepFunctions } from './stepfunctions';
import { startExecution } from './stepfunctions/api/executions';
import { executionLogger } from './stepfunctions/execution-logs';
import { startMappings, type RunningMapping } from './esm';
import { createControlApiHandler } from './esm/api';
import { localFunctionEnvironment } from './function-environment';
import { createChaosControl } from './chaos';
import { createKafkaBroker, type KafkaBroker } from './kafka';
import { createConcurrencyApiHandler, createLambdaApiHandler, LambdaRuntime } from './lambda';
import { createOpenSearchServer } from './opensearch';
import { findFreePort } from './process/ports';
import { Progress } from './progress';
import { startRedis, type RedisServer } from './redis';
import { ensureSynthesized } from './synth';

export type { Endpoints } from './endpoints';

export interface LocalCloud {
  endpoints: Endpoints;
  deployment: Deployment;
  lambda: LambdaRuntime;
  /** whether this start found an empty data folder (or was `--fresh`) */
  firstStart: boolean;
  /** resolves when the app's background work (sample data) is done */
  background: Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions {
  app?: AppHooks;
  /** prints a line of progress for people (default: nothing) */
  print?: (line: string) => void;
  /** print the services' own log lines too */
  verbose?: boolean;
}

type Stopper = { name: string; stop: () => Promise<void> };

const DATA_FOLDERS = ['dynamodb', 'redis', 'kafka', 'opensearch', 'eventbridge', 'stepfunctions', 'sqs', 'sns', 'ses', 'logs', 'xray', 'cloudwatch'] as const;

export async function startLocalCloud(config: LocalCloudConfig, options: StartOptions = {}): Promise<LocalCloud> {
  const app = options.app ?? {};
  if (config.fresh) rmSync(config.dataDir, { recursive: true, force: true });
  const firstStart = isEmptyFolder(config.dataDir);
  const dirs = Object.fromEntries(DATA_FOLDERS.map((d) => [d, path.join(config.dataDir, d)])) as Record<(typeof DATA_FOLDERS)[number], string>;
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  removeEndpoints(config.dataDir);
  const progress = new Progress({ logDir: dirs.logs, print: options.print, verbose: options.verbose });
  const log = (service: string) => progress.serviceLog(service);

  const stoppers: Stopper[] = [];
  const stopAll = async () => {
    for (const s of stoppers.reverse()) await s.stop().catch((err: Error) => log('local-cloud')(`stopping ${s.name}: ${err.message}`));
    stoppers.length = 0;
  };
  const started = <T>(name: string, stop: (x: T) => Promise<void>) => (x: T) => {
    stoppers.push({ name, stop: () => stop(x) });
    return x;
  };

  try {
    // the CDK app is synthesized (when stale) while the backing services boot
    const boot = progress.step('backing services');
    // the broker and Redis now: chaos runs (--fault-injection) stop and restart them in place
    const live: { kafka?: KafkaBroker; redis?: RedisServer } = {};
    const kafkaOptions = (port: number) => ({ port, dataDir: dirs.kafka, autoCreateTopics: false, restoreGroupMembers: false, log: log('kafka') });
    const [synthesized, dynamo, redis, kafka, search] = await Promise.all([
      ensureSynthesized(config.projectDir, (line) => progress.note(line)),
      startDynamoDbLocal({ port: config.ports.dynamodb, dataDir: dirs.dynamodb, log: log('dynamodb') }).then(started('DynamoDB Local', (d) => d.stop())),
      startRedis({ port: config.ports.redis, dataDir: dirs.redis, log: log('redis') })
        .then((r) => (live.redis = r))
        .then(started('Redis', () => live.redis!.stop())),
      findFreePort(config.ports.kafka).then((port) =>
        // the event source mappings (the only consumers) live in this process: no group member outlives a restart
        createKafkaBroker(kafkaOptions(port))
          .then((k) => (live.kafka = k))
          .then(started('Kafka', () => live.kafka!.close())),
      ),
      findFreePort(config.ports.opensearch).then((port) =>
        createOpenSearchServer({ port, dataDir: dirs.opensearch, log: log('opensearch') }).then(started('OpenSearch', (o) => o.close())),
      ),
    ]);
    boot.done(`DynamoDB Local, Redis, Kafka, OpenSearch${synthesized ? '; CDK app synthesized' : ''}`);

    let mappings: RunningMapping[] = [];
    const functionLog = progress.functionLog(dirs.logs);
    // observability: traces (X-Ray, exported as OTLP when configured) and metrics (CloudWatch, EMF from the functions' lines)
    const xray = await createXRay({ dataDir: dirs.xray, accountId: config.accountId, daemonPort: config.ports.xray, otlpEndpoint: config.otlpEndpoint, sampling: config.xraySampling, log: log('xray') });
    stoppers.push({ name: 'X-Ray', stop: () => xray.close() });
    let snsPublish: (topicArn: string, subject: string, message: string) => Promise<unknown> = async () => undefined;
    const cloudwatch = createCloudWatch({
      dataDir: dirs.cloudwatch,
      region: config.region,
      accountId: config.accountId,
      notify: async (topic, subject, message) => void (await snsPublish(topic, subject, message)),
      prometheusKinds: app.metricKinds,
      prometheusPrefixes: app.metricNamespacePrefixes,
      log: log('cloudwatch'),
    });
    stoppers.push({ name: 'CloudWatch', stop: () => cloudwatch.close() });
    const lambda = new LambdaRuntime({
      defaultConcurrency: config.lambdaConcurrency,
      maxEnvironments: config.lambdaEnvironments,
      queueOverLocalLimit: true,
      // a burst scales environments up a core's worth at a time (requests queue meanwhile) instead of drowning in cold starts
      maxConcurrentColdStarts: Math.max(2, availableParallelism()),
      log: log('lambda'),
      onLog: (fn, line) => {
        functionLog(fn, line);
        cloudwatch.ingestLogLine(line);
      },
      tracing: xray,
      onInvoked: (fn, r) => cloudwatch.aws.lambda(fn, r),
      // keyed by the bundle's content and the Node version: shared by every data folder of this checkout
      codeCacheDir: path.join(config.projectDir, 'node_modules', '.cache', 'local-lambda'),
    });
    stoppers.push({ name: 'Lambda runtime', stop: () => lambda.close() });

    let edgeUrl = ''; // known once the edge listens; queue URLs and SNS links are built on it
    const apiAddress: { url?: string } = {}; // known once the API Gateway listens; the served OpenAPI document names it
    const aws = { dataDir: config.dataDir, region: config.region, accountId: config.accountId };
    const sqs = createSqsEmulator({ ...aws, dataDir: dirs.sqs, edgeUrl: () => edgeUrl, log: log('sqs') });
    stoppers.push({ name: 'SQS', stop: () => sqs.close() });
    const ses = createSesEmulator({ ...aws, dataDir: dirs.ses, log: log('ses') });
    stoppers.push({ name: 'SES', stop: () => ses.close() });
    const sns = createSnsEmulator({
      ...aws,
      dataDir: dirs.sns,
      edgeUrl: () => edgeUrl,
      log: log('sns'),
      sqsSend: (queueArn, body, o) => sqs.sendMessage(queueArn, body, o),
      invokeLambda: async (functionArn, event) => {
        const r = await lambda.invoke(functionArn, event);
        if (r.status !== 'ok') throw new Error(`${r.errorType}: ${r.errorMessage}`); // SNS retries, then its dead-letter queue
      },
    });
    stoppers.push({ name: 'SNS', stop: () => sns.close() });
    snsPublish = (TopicArn, Subject, Message) => sns.publish({ TopicArn, Subject: Subject.slice(0, 100), Message });
    const secretsmanager = createSecretsManager({ ...aws, dataDir: path.join(config.dataDir, 'secretsmanager'), log: log('secretsmanager') });
    stoppers.push({ name: 'Secrets Manager', stop: () => secretsmanager.close() });

    const stepfunctions = createStepFunctions({
      ...aws,
      dataDir: dirs.stepfunctions,
      invokeLambda: (fn, payload, o) => lambda.invoke(fn, payload, o),
      edgeUrl: () => edgeUrl,
      log: log('stepfunctions'),
      onHistoryEvent: ((logExecution) => (executionArn, event, machine) => {
        logExecution(executionArn, event, machine);
        cloudwatch.aws.states(machine.arn, executionArn, event);
      })(executionLogger((machine, line) => functionLog(machine, line))),
      tracing: xray,
    });
    stoppers.push({ name: 'Step Functions', stop: async () => stepfunctions.close() });

    const eventbridge = await createEventBridge({
      dataDir: dirs.eventbridge,
      region: config.region,
      accountId: config.accountId,
      log: log('eventbridge'),
      // EventBridge invokes Lambda targets asynchronously, with the target's input as the payload
      invokeLambda: async (functionArn, payload) => {
        await lambda.invoke(functionArn, parseJsonOrText(payload), { invocationType: 'Event' });
      },
      startExecution: async (stateMachineArn, input) => void (await startExecution(stepfunctions.service, { stateMachineArn, input })),
      sendSqs: async (queueArn, body, o) =>
        void sqs.sendMessage(queueArn, body, {
          groupId: o?.messageGroupId,
          attributes: o?.attributes && Object.fromEntries(Object.entries(o.attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
        }),
    });
    stoppers.push({ name: 'EventBridge', stop: () => eventbridge.close() });

    // the console: a web app on the edge (same origin as the APIs it reads); the API's address and key come once deployed
    const consoleApi: { url?: string; key?: string } = {};
    const localConsole = createConsole({
      projectDir: config.projectDir,
      region: config.region,
      accountId: config.accountId,
      apiUrl: () => consoleApi.url,
      apiKey: () => consoleApi.key,
      kafkaBootstrap: () => kafka.bootstrap,
      log: log('console'),
    });
    stoppers.push({ name: 'console', stop: () => localConsole.close() });
    const deployed: { current?: Deployment } = {}; // the log groups the template names are known once it is deployed
    const logs = createLogs({ logDir: dirs.logs, region: config.region, accountId: config.accountId, sources: () => logSources(deployed.current), log: log('logs') });
    const edge = await startEdge({
      port: config.ports.edge,
      log: log('edge'),
      services: [
        { name: 'openapi', route: createOpenApiRoute({ assemblyDir: path.join(config.projectDir, 'cdk.out'), apiUrl: () => apiAddress.url }).route },
        { name: 'console', route: localConsole.route },
        { name: 'dynamodb', targets: ['DynamoDB_20120810.', 'DynamoDBStreams_20120810.'], forwardTo: dynamo.endpoint },
        { name: 'lambda', route: createLambdaApiHandler(lambda) },
        { name: 'lambda-concurrency', route: createConcurrencyApiHandler(lambda) },
        { name: 'xray', route: xray.route },
        { name: 'cloudwatch', targets: [cloudwatch.targetPrefix], route: cloudwatch.route },
        { name: 'logs', targets: [logs.targetPrefix], route: logs.route },
        { name: 'events', targets: [eventbridge.targetPrefix], route: eventbridge.route },
        { name: 'stepfunctions', targets: ['AWSStepFunctions.'], route: stepfunctions.route },
        { name: 'sqs', route: sqs.route },
        { name: 'sns', route: sns.route },
        { name: 'ses', route: ses.route },
        { name: 'secretsmanager', targets: [secretsmanager.targetPrefix], route: secretsmanager.route },
        { name: 'lambda-control', route: createControlApiHandler({ runtime: lambda, mappings: () => mappings, region: config.region }) },
        ...(config.faultInjection
          ? [
              {
                name: 'chaos',
                route: createChaosControl({
                  log: log('chaos'),
                  kafka: {
                    stop: () => live.kafka!.close(),
                    start: async () => void (live.kafka = await createKafkaBroker(kafkaOptions(kafka.port))),
                  },
                  redis: {
                    restart: async () => {
                      await live.redis!.stop();
                      live.redis = await startRedis({ port: redis.port, dataDir: dirs.redis, log: log('redis') });
                    },
                  },
                }).route,
              },
            ]
          : []),
      ],
    });
    stoppers.push({ name: 'edge', stop: edge.close });
    edgeUrl = edge.url;

    const addOn = (await app.beforeDeploy?.({ config, progress, edgeUrl: edge.url })) ?? {};
    if (addOn.stop) stoppers.push({ name: 'app stand-ins', stop: addOn.stop });

    const deploying = progress.step('deployed');
    const keys = new ApiKeyStore(path.join(config.dataDir, 'api-keys.json'));
    const dynamodb = new DynamoDBClient({ endpoint: dynamo.endpoint, region: config.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const deployment = await deploy(readCloudAssembly(path.join(config.projectDir, 'cdk.out')), {
      region: config.region,
      accountId: config.accountId,
      log: log('deployer'),
      services: {
        dynamodb,
        lambda: {
          register: (spec) => lambda.register(spec),
          codeDir: path.join(config.dataDir, 'functions'),
          environment: {
            ...localFunctionEnvironment({ edgeUrl: edge.url, region: config.region, kafkaBootstrap: kafka.bootstrap, faultInjection: config.faultInjection, xrayDaemonAddress: xray.daemonAddress, dynamodbEndpoint: config.dynamodbThroughEdge ? undefined : dynamo.endpoint }),
            ...addOn.environment,
          },
        },
        apigateway: { apiKeyValue: (id, name) => keys.value(id, name) },
        kafka: { bootstrap: kafka.bootstrap, createTopic: (name, partitions) => kafka.createTopic(name, partitions) },
        opensearch: { hostPort: `127.0.0.1:${search.port}` },
        redis: { host: redis.host, port: redis.port },
        eventbridge,
        stepfunctions,
        sqs,
        sns,
        ses,
        cloudwatch,
        secretsmanager,
      },
    }).finally(() => dynamodb.destroy());
    deployed.current = deployment;
    deploying.done(summarize(deployment));
    if (deployment.notEmulated.size) progress.note(`not emulated yet: ${listCounts(deployment.notEmulated)}`);
    progress.note(`accepted without local effect: ${listCounts(deployment.accepted)}`);

    mappings = await startMappings(deployment.mappings, {
      region: config.region,
      dataDir: config.dataDir,
      dynamodbEndpoint: dynamo.endpoint,
      kafkaBootstrap: (arn) => deployment.kafkaClusters.get(arn),
      invoke: (fn, event, o) => lambda.invoke(fn, event, o),
      tracing: xray,
      sendToQueue: (queueArn, body) => void sqs.sendMessage(queueArn, body),
      log: log('esm'),
    });
    stoppers.push({ name: 'event source mappings', stop: async () => void (await Promise.all(mappings.map((m) => m.stop()))) });
    // executions that were running when the local cloud last stopped (or died) go on from their last state
    await stepfunctions.resume();
    for (const [clusterArn, bootstrap] of deployment.kafkaClusters) cloudwatch.watchKafka({ bootstrap, clusterName: clusterArn.split('/')[1] ?? clusterArn });
    const queues = deployment.resources.filter((r) => r.type === 'AWS::SQS::Queue').map((r) => ({ name: r.ref.split('/').pop()!, attributes: () => sqs.queueAttributes(r.ref) }));
    cloudwatch.aws.watchQueues(() => queues, 10_000);
    cloudwatch.start();

    const gateway = await createApiGateway({
      port: config.ports.api,
      apis: deployment.apis,
      invoke: (fn, event, o) => lambda.invoke(fn, event, { traceHeader: o.traceHeader }),
      statePath: path.join(config.dataDir, 'apigateway-state.json'),
      tracing: xray,
      onRequest: cloudwatch.aws.apiGateway,
      log: log('apigateway'),
    });
    stoppers.push({ name: 'API Gateway', stop: gateway.close });
    apiAddress.url = gateway.url;

    const api = deployment.apis[0];
    if (!api) throw new Error('the template has no REST API');
    const keyByPlan: Record<string, string> = {};
    for (const plan of api.usagePlans) {
      const key = api.apiKeys.find((k) => plan.keyIds.includes(k.id));
      if (key) keyByPlan[app.planAlias?.(plan.name) ?? plan.name] = key.value;
    }
    consoleApi.url = gateway.url;
    consoleApi.key = keyByPlan[app.primaryPlan ?? ''] ?? api.apiKeys[0]?.value;
    const endpoints: Endpoints = {
      api_url: gateway.url,
      api_stage_url: `${gateway.url}/${api.stageName}`,
      stage: api.stageName,
      api_key: keyByPlan[app.primaryPlan ?? ''] ?? api.apiKeys[0]?.value ?? '',
      api_keys: keyByPlan,
      edge_url: edge.url,
      console_url: `${edge.url}${CONSOLE_PATH}`,
      region: config.region,
      services: {
        apigateway: gateway.url,
        edge: edge.url,
        lambda: edge.url,
        dynamodb: dynamo.endpoint,
        redis: redis.url,
        kafka: kafka.bootstrap,
        opensearch: search.url,
        xray_daemon: xray.daemonAddress,
        prometheus: `${edge.url}/_local/metrics`,
        console: `${edge.url}${CONSOLE_PATH}`,
        ...addOn.services,
      },
      functions: deployment.functions.map((f) => f.name),
      data_dir: config.dataDir,
      xray_sampling: describeSampling(config.xraySampling),
      pid: process.pid,
      started_at: new Date().toISOString(),
    };

    // Every service answers from here on: the endpoints go out now, and what the app adds (the
    // sample data, whose first batch travels the whole event pipeline: seconds of cold starts on
    // a fresh data folder) arrives while clients can already call. `npm start` prints its summary
    // once that first batch is in place, so the calls it prints find what they read.
    writeEndpoints(config.dataDir, endpoints);
    const abort = new AbortController();
    const background = (await app.afterDeploy?.({ endpoints, config, progress }, abort.signal))?.background ?? Promise.resolve();
    progress.note('ready');
    return {
      endpoints,
      deployment,
      lambda,
      firstStart,
      background,
      stop: async () => {
        abort.abort(); // a stop during the background work leaves the rest for the next start
        await background.catch(() => undefined);
        await stopAll();
        await progress.close();
      },
    };
  } catch (err) {
    await stopAll();
    removeEndpoints(config.dataDir); // written before the app's set-up, which failed
    throw err;
  }
}

function parseJsonOrText(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return payload; // an input template may render plain text
  }
}

function isEmptyFolder(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return true;
  }
}

const listCounts = (m: Map<string, number>) => [...m].map(([t, n]) => `${t} (${n})`).join(', ');

function summarize(d: Deployment): string {
  const parts: Array<[number, string]> = [
    [d.tables.length, 'tables'],
    [d.functions.length, 'functions'],
    [d.apis.length, 'REST API'],
    [d.mappings.length, 'event source mappings'],
    [d.emulated.get('AWS::MSK::Topic') ?? 0, 'Kafka topics'],
  ];
  return parts
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n} ${what}`)
    .join(', ');
}
