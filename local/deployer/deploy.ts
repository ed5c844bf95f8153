/**
 * Deploys a synthesized cloud assembly onto the local services: DynamoDB tables on DynamoDB
 * Local, functions on the Lambda runtime, the REST API on the API Gateway emulator. Resources
 * with no local behaviour (IAM, log groups, permissions) are accepted and listed; any other type
 * not emulated yet is named in one line.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MethodSpec, RestApiSpec } from '../apigateway';
import type { FunctionSpec } from '../lambda';
import type { StackArtifact } from './cloud-assembly';
import { IntrinsicError, resolve, type ResolveScope } from './intrinsics';
import { attValue, refValue, type PhysicalScope } from './physical-ids';

/** Types whose only effect in AWS is permissions, logging or bookkeeping. */
const NO_LOCAL_EFFECT = new Set([
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::Lambda::Permission',
  'AWS::Logs::LogGroup',
  'AWS::ApiGateway::Account',
  'AWS::ApiGateway::Deployment',
  'AWS::CDK::Metadata',
  'AWS::Logs::ResourcePolicy',
  'Custom::CloudwatchLogResourcePolicy',
  'Custom::OpenSearchAccessPolicy',
]);

/** Network resources: everything local listens on 127.0.0.1, so they have no local effect either. */
const isNetwork = (type: string) => type.startsWith('AWS::EC2::');

/** Types other emulators take from the deployment (listed as emulated, not as missing). */
const EMULATED_ELSEWHERE = new Set([
  'AWS::Lambda::EventSourceMapping',
  'AWS::MSK::ServerlessCluster',
  'AWS::MSK::Cluster',
  'AWS::MSK::Topic',
  'AWS::OpenSearchService::Domain',
  'AWS::ElastiCache::ServerlessCache',
]);

/** Types the API Gateway emulator takes from the template. */
const API_TYPES = new Set([
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Stage',
  'AWS::ApiGateway::ApiKey',
  'AWS::ApiGateway::UsagePlan',
  'AWS::ApiGateway::UsagePlanKey',
  'AWS::ApiGateway::RequestValidator',
  'AWS::ApiGateway::Model',
]);

export interface DeployEnvironment {
  region: string;
  accountId: string;
  dynamodb: DynamoDBClient;
  /** variables every function gets on top of its template environment (endpoints, credentials) */
  functionEnvironment: Record<string, string>;
  /** stable value of an API key, by its physical id (generated once, then persisted) */
  apiKeyValue(keyId: string, name: string): string;
  /** folder for inline function code */
  workDir: string;
  /** where the local stand-ins of managed services listen */
  local: { kafkaBootstrap: string; opensearchHostPort: string; redisHost: string; redisPort: number };
  /** creates a Kafka topic on the local broker (AWS::MSK::Topic) */
  createTopic(name: string, partitions: number): Promise<void>;
  log: (line: string) => void;
}

export interface DeployedTable {
  name: string;
  arn: string;
  streamArn?: string;
}

export interface Deployment {
  tables: DeployedTable[];
  functions: FunctionSpec[];
  apis: RestApiSpec[];
  /** types accepted with no local effect, with counts */
  accepted: Map<string, number>;
  /** types not emulated, with counts */
  notEmulated: Map<string, number>;
  exports: Map<string, unknown>;
  /** MSK cluster ARN -> local bootstrap servers */
  kafkaClusters: Map<string, string>;
  /** resolved properties of every resource, by stack and logical id (for later emulators) */
  resources: Array<{ stackName: string; logicalId: string; type: string; ref: string; properties: Record<string, unknown> }>;
}

type Resolved = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function deploy(stacks: StackArtifact[], env: DeployEnvironment): Promise<Deployment> {
  const out: Deployment = {
    tables: [],
    functions: [],
    apis: [],
    accepted: new Map(),
    notEmulated: new Map(),
    exports: new Map(),
    kafkaClusters: new Map(),
    resources: [],
  };
  for (const stack of stacks) await deployStack(stack, env, out);
  return out;
}

async function deployStack(stack: StackArtifact, env: DeployEnvironment, out: Deployment): Promise<void> {
  const phys: PhysicalScope = { stackName: stack.stackName, region: env.region, accountId: env.accountId };
  const resources = stack.template.Resources;
  const refs = new Map<string, string>();
  for (const [id, r] of Object.entries(resources)) refs.set(id, refValue(r.Type, id, r.Properties ?? {}, phys));
  const extraAtts = new Map<string, string>(); // "id.Attr" -> value known only after creation
  const conditions = new Map<string, boolean>();

  const scope: ResolveScope = {
    stackName: stack.stackName,
    region: env.region,
    accountId: env.accountId,
    ref: (id) => {
      if (refs.has(id)) return refs.get(id);
      const param = stack.template.Parameters?.[id];
      if (param) return param.Default;
      throw new IntrinsicError(`Ref to unknown resource ${id} in ${stack.stackName}`);
    },
    getAtt: (id, attr) => {
      const known = extraAtts.get(`${id}.${attr}`);
      if (known !== undefined) return known;
      const r = resources[id];
      if (!r) throw new IntrinsicError(`Fn::GetAtt of unknown resource ${id} in ${stack.stackName}`);
      return attValue(r.Type, refs.get(id)!, attr, phys) ?? `arn:aws:local:${env.region}:${env.accountId}:${id}/${attr}`;
    },
    importValue: (name) => {
      if (!out.exports.has(name)) throw new IntrinsicError(`Fn::ImportValue: no export named ${name}`);
      return out.exports.get(name);
    },
    condition: (name) => {
      if (!conditions.has(name)) {
        const expr = stack.template.Conditions?.[name];
        if (expr === undefined) throw new IntrinsicError(`unknown condition ${name}`);
        conditions.set(name, Boolean(resolve(expr, scope)));
      }
      return conditions.get(name)!;
    },
  };
  const props = (id: string): Resolved => resolve(resources[id]!.Properties ?? {}, scope) as Resolved;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type && (!r.Condition || scope.condition(r.Condition)));

  // 0. managed services whose local stand-ins already run: their endpoints as attributes
  for (const [id, r] of Object.entries(resources)) {
    const ref = refs.get(id)!;
    if (r.Type === 'AWS::OpenSearchService::Domain') {
      const arn = `arn:aws:es:${env.region}:${env.accountId}:domain/${ref}`;
      extraAtts.set(`${id}.DomainEndpoint`, env.local.opensearchHostPort);
      extraAtts.set(`${id}.Arn`, arn);
      extraAtts.set(`${id}.DomainArn`, arn);
    } else if (r.Type === 'AWS::ElastiCache::ServerlessCache') {
      extraAtts.set(`${id}.Endpoint.Address`, env.local.redisHost);
      extraAtts.set(`${id}.Endpoint.Port`, String(env.local.redisPort));
      extraAtts.set(`${id}.ReaderEndpoint.Address`, env.local.redisHost);
      extraAtts.set(`${id}.ReaderEndpoint.Port`, String(env.local.redisPort));
      extraAtts.set(`${id}.Arn`, `arn:aws:elasticache:${env.region}:${env.accountId}:serverlesscache:${ref}`);
    } else if (r.Type === 'AWS::MSK::ServerlessCluster' || r.Type === 'AWS::MSK::Cluster') {
      extraAtts.set(`${id}.Arn`, ref);
      out.kafkaClusters.set(ref, env.local.kafkaBootstrap);
    }
  }

  // 1. tables first: other resources read their stream ARNs
  for (const [id] of ofType('AWS::DynamoDB::Table')) {
    const table = await ensureTable(env, refs.get(id)!, props(id));
    out.tables.push(table);
    if (table.streamArn) extraAtts.set(`${id}.StreamArn`, table.streamArn);
  }

  // 2. functions
  for (const [id] of ofType('AWS::Lambda::Function')) out.functions.push(functionSpec(id, refs.get(id)!, props(id), stack, env));

  // 3. the REST APIs
  for (const [id] of ofType('AWS::ApiGateway::RestApi')) out.apis.push(restApiSpec(id, refs, resources, props, env));

  // 4. Kafka topics on the local broker
  for (const [id] of ofType('AWS::MSK::Topic')) {
    const p = props(id);
    await env.createTopic(p.TopicName, Number(p.PartitionCount));
  }

  // 5. bookkeeping: what was accepted, what is not emulated, every resolved resource
  const handledHere = new Set(['AWS::DynamoDB::Table', 'AWS::Lambda::Function', ...API_TYPES, ...EMULATED_ELSEWHERE]);
  for (const [id, r] of Object.entries(resources)) {
    if (r.Condition && !scope.condition(r.Condition)) continue;
    if (isNetwork(r.Type)) out.accepted.set('AWS::EC2::* (network)', (out.accepted.get('AWS::EC2::* (network)') ?? 0) + 1);
    else if (NO_LOCAL_EFFECT.has(r.Type)) out.accepted.set(r.Type, (out.accepted.get(r.Type) ?? 0) + 1);
    else if (!handledHere.has(r.Type)) out.notEmulated.set(r.Type, (out.notEmulated.get(r.Type) ?? 0) + 1);
    const inert = NO_LOCAL_EFFECT.has(r.Type) || isNetwork(r.Type);
    out.resources.push({ stackName: stack.stackName, logicalId: id, type: r.Type, ref: refs.get(id)!, properties: inert ? {} : props(id) });
  }
  for (const output of Object.values(stack.template.Outputs ?? {})) {
    if (output.Export) out.exports.set(String(resolve(output.Export.Name, scope)), resolve(output.Value, scope));
  }
}

async function ensureTable(env: DeployEnvironment, name: string, p: Resolved): Promise<DeployedTable> {
  const input: CreateTableCommandInput = {
    TableName: name,
    KeySchema: p.KeySchema,
    AttributeDefinitions: p.AttributeDefinitions,
    BillingMode: p.BillingMode ?? 'PROVISIONED',
    ProvisionedThroughput: p.BillingMode === 'PAY_PER_REQUEST' ? undefined : (p.ProvisionedThroughput ?? { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }),
    GlobalSecondaryIndexes: p.GlobalSecondaryIndexes?.map((g: Resolved) => ({
      IndexName: g.IndexName,
      KeySchema: g.KeySchema,
      Projection: g.Projection,
      ProvisionedThroughput: p.BillingMode === 'PAY_PER_REQUEST' ? undefined : (g.ProvisionedThroughput ?? { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }),
    })),
    LocalSecondaryIndexes: p.LocalSecondaryIndexes,
    StreamSpecification: p.StreamSpecification ? { StreamEnabled: true, StreamViewType: p.StreamSpecification.StreamViewType } : undefined,
  };
  try {
    await env.dynamodb.send(new CreateTableCommand(input));
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err; // exists from an earlier run: state survives restarts
  }
  const described = await env.dynamodb.send(new DescribeTableCommand({ TableName: name }));
  return { name, arn: described.Table!.TableArn!, streamArn: described.Table!.LatestStreamArn };
}

function functionSpec(id: string, name: string, p: Resolved, stack: StackArtifact, env: DeployEnvironment): FunctionSpec {
  let codeDir: string | undefined;
  const key: unknown = p.Code?.S3Key;
  if (typeof key === 'string') codeDir = stack.assets.get(key.replace(/\.zip$/, ''));
  if (!codeDir && typeof p.Code?.ZipFile === 'string') {
    codeDir = path.join(env.workDir, 'functions', name);
    mkdirSync(codeDir, { recursive: true });
    writeFileSync(path.join(codeDir, 'index.js'), p.Code.ZipFile);
  }
  if (!codeDir) throw new Error(`function ${id} in ${stack.stackName}: no local code for ${JSON.stringify(p.Code)}`);
  const variables: Record<string, string> = {};
  for (const [k, v] of Object.entries((p.Environment?.Variables ?? {}) as Record<string, unknown>)) variables[k] = String(v);
  return {
    name,
    arn: `arn:aws:lambda:${env.region}:${env.accountId}:function:${name}`,
    codeDir,
    handler: p.Handler ?? 'index.handler',
    environment: { ...variables, ...env.functionEnvironment },
    timeoutSeconds: p.Timeout ?? 3,
    memoryMb: p.MemorySize ?? 128,
    reservedConcurrency: p.ReservedConcurrentExecutions,
  };
}

/** Lambda proxy URIs look like arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations. */
function functionFromUri(uri: string): string {
  const m = /functions\/(.+)\/invocations$/.exec(uri);
  if (!m) throw new Error(`unsupported integration URI ${uri}`);
  return m[1]!.split(':function:').pop()!.split(':')[0]!;
}

function restApiSpec(
  apiLogicalId: string,
  refs: Map<string, string>,
  resources: StackArtifact['template']['Resources'],
  props: (id: string) => Resolved,
  env: DeployEnvironment,
): RestApiSpec {
  const apiId = refs.get(apiLogicalId)!;
  const apiProps = props(apiLogicalId);
  const rootId = attValue('AWS::ApiGateway::RestApi', apiId, 'RootResourceId', { stackName: '', region: env.region, accountId: env.accountId })!;
  const all = Object.entries(resources);
  const belongs = (id: string) => props(id).RestApiId === apiId;
  const of = (type: string) => all.filter(([id, r]) => r.Type === type && belongs(id)).map(([id]) => id);

  // resource tree: physical id -> full path
  const paths = new Map<string, string>([[rootId, '/']]);
  const pending = of('AWS::ApiGateway::Resource').map((id) => ({ id: refs.get(id)!, p: props(id) }));
  while (pending.length) {
    const before = pending.length;
    for (let i = pending.length - 1; i >= 0; i--) {
      const { id, p } = pending[i]!;
      const parent = paths.get(p.ParentId);
      if (parent === undefined) continue;
      paths.set(id, `${parent === '/' ? '' : parent}/${p.PathPart}`);
      pending.splice(i, 1);
    }
    if (pending.length === before) throw new Error(`API ${apiLogicalId}: resources with unknown parents`);
  }

  const validators = new Map(
    all.filter(([, r]) => r.Type === 'AWS::ApiGateway::RequestValidator').map(([id]) => [refs.get(id)!, props(id)]),
  );
  const models = new Map(
    all.filter(([, r]) => r.Type === 'AWS::ApiGateway::Model').map(([id]) => [refs.get(id)!, props(id)]),
  );
  const byPath = new Map<string, MethodSpec[]>();
  for (const id of of('AWS::ApiGateway::Method')) {
    const p = props(id);
    const path = paths.get(p.ResourceId ?? rootId);
    if (!path) throw new Error(`method ${id}: unknown resource ${p.ResourceId}`);
    const integration = p.Integration ?? {};
    const validator = p.RequestValidatorId ? validators.get(p.RequestValidatorId) : undefined;
    const modelName = p.RequestModels?.['application/json'];
    const model = modelName ? models.get(modelName) : undefined;
    const method: MethodSpec = {
      httpMethod: p.HttpMethod,
      apiKeyRequired: Boolean(p.ApiKeyRequired),
      integration:
        integration.Type === 'AWS_PROXY'
          ? { type: 'AWS_PROXY', functionName: functionFromUri(integration.Uri), timeoutMs: integration.TimeoutInMillis }
          : { type: 'MOCK', statusCode: 200, body: '' },
      requestParameters: p.RequestParameters,
      requestValidator: validator
        ? { validateRequestBody: Boolean(validator.ValidateRequestBody), validateRequestParameters: Boolean(validator.ValidateRequestParameters) }
        : undefined,
      requestModel: model?.Schema,
    };
    byPath.set(path, [...(byPath.get(path) ?? []), method]);
  }

  const stages = of('AWS::ApiGateway::Stage').map((id) => props(id));
  const stage = stages[0];
  const stageName: string = stage?.StageName ?? 'prod';
  const stageSetting = (stage?.MethodSettings as Resolved[] | undefined)?.find((s) => s.ResourcePath === '/*' && s.HttpMethod === '*');

  const keyIds = new Set<string>();
  const apiKeys = all
    .filter(([, r]) => r.Type === 'AWS::ApiGateway::ApiKey')
    .map(([id]) => {
      const p = props(id);
      const keyId = refs.get(id)!;
      keyIds.add(keyId);
      return { id: keyId, name: p.Name ?? id, value: p.Value ?? env.apiKeyValue(keyId, p.Name ?? id), enabled: p.Enabled !== false };
    });
  const planKeys = all.filter(([, r]) => r.Type === 'AWS::ApiGateway::UsagePlanKey').map(([id]) => props(id));
  const usagePlans = all
    .filter(([, r]) => r.Type === 'AWS::ApiGateway::UsagePlan')
    .map(([id]) => ({ id: refs.get(id)!, p: props(id) }))
    .filter(({ p }) => (p.ApiStages ?? []).some((s: Resolved) => s.ApiId === apiId))
    .map(({ id, p }) => ({
      id,
      name: p.UsagePlanName ?? id,
      throttle: p.Throttle ? { rateLimit: Number(p.Throttle.RateLimit), burstLimit: Number(p.Throttle.BurstLimit) } : undefined,
      quota: p.Quota ? { limit: Number(p.Quota.Limit), period: p.Quota.Period, offset: p.Quota.Offset } : undefined,
      apiStages: (p.ApiStages as Resolved[]).map((s) => ({
        apiId: s.ApiId,
        stage: s.Stage,
        throttle: s.Throttle
          ? Object.fromEntries(
              Object.entries(s.Throttle as Record<string, Resolved>).map(([k, t]) => [k, { rateLimit: Number(t.RateLimit), burstLimit: Number(t.BurstLimit) }]),
            )
          : undefined,
      })),
      keyIds: planKeys.filter((k) => k.UsagePlanId === id && keyIds.has(k.KeyId)).map((k) => k.KeyId as string),
    }));

  return {
    id: apiId,
    name: apiProps.Name ?? apiLogicalId,
    stageName,
    resources: [...byPath].map(([path, methods]) => ({ path, methods })),
    apiKeys,
    usagePlans,
    stageThrottle: stageSetting
      ? { rateLimit: Number(stageSetting.ThrottlingRateLimit ?? 10000), burstLimit: Number(stageSetting.ThrottlingBurstLimit ?? 5000) }
      : undefined,
  };
}
