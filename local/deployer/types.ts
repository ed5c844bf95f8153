/**
 * The contract between the template deployer and its resource modules. A resource module
 * (one file under `resources/`) handles one CloudFormation type or a family of them: it says what
 * `Ref` and `Fn::GetAtt` answer, and creates the resource on the local service that stands in for
 * AWS's. The deployer knows no resource type itself.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CloudWatch } from '../cloudwatch';
import type { RestApiSpec } from '../apigateway';
import type { EventBridge } from '../eventbridge';
import type { SecretsManagerEmulator } from '../secretsmanager';
import type { SesEmulator } from '../ses';
import type { SnsEmulator } from '../sns';
import type { SqsEmulator } from '../sqs';
import type { StepFunctions } from '../stepfunctions';
import type { MappingSpec } from '../esm';
import type { FunctionSpec } from '../lambda';

/** Where a resource lives: enough to name it as CloudFormation would. */
export interface ResourceScope {
  stackName: string;
  region: string;
  accountId: string;
}

export interface ResourceIdentity extends ResourceScope {
  logicalId: string;
  type: string;
  /** the template's properties, unresolved (only literal values are safe to read) */
  rawProperties: Record<string, unknown>;
}

/** A resource about to be created: its physical id and its properties with every intrinsic resolved. */
export interface ResourceToDeploy extends ResourceIdentity {
  /** the value of Ref */
  ref: string;
  properties: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** the stack's file assets: S3 object key without `.zip` -> folder in cdk.out */
  assets: ReadonlyMap<string, string>;
}

/**
 * The local services resource modules create things on. Each is optional: a local cloud started
 * without one lists the types that need it as not emulated (and tests can deploy parts of a template).
 */
export interface LocalServices {
  dynamodb?: DynamoDBClient;
  lambda?: {
    register(spec: FunctionSpec): void;
    /** variables every function gets on top of its template environment (local endpoints, credentials) */
    environment: Record<string, string>;
    /** folder for inline (ZipFile) function code */
    codeDir: string;
  };
  apigateway?: {
    /** the stable value of an API key by its physical id (generated once, then kept) */
    apiKeyValue(keyId: string, name: string): string;
  };
  kafka?: { bootstrap: string; createTopic(name: string, partitions: number): Promise<void> };
  opensearch?: { hostPort: string };
  redis?: { host: string; port: number };
  eventbridge?: Pick<EventBridge, 'deployBus' | 'deployRule' | 'deployArchive'>;
  stepfunctions?: Pick<StepFunctions, 'deployStateMachine'>;
  sqs?: Pick<SqsEmulator, 'deployQueue'>;
  sns?: Pick<SnsEmulator, 'deployTopic' | 'deploySubscription'>;
  ses?: Pick<SesEmulator, 'deployEmailIdentity' | 'deployTemplate' | 'deployConfigurationSet'>;
  cloudwatch?: Pick<CloudWatch, 'deployAlarm' | 'deployDashboard'>;
  secretsmanager?: Pick<SecretsManagerEmulator, 'deploySecret'>;
}

export type ServiceName = keyof LocalServices;

/** What a deployment produced for the local cloud to start (things that need every resource first). */
export interface DeploymentOutputs {
  tables: Array<{ name: string; arn: string; streamArn?: string }>;
  functions: FunctionSpec[];
  apis: RestApiSpec[];
  mappings: MappingSpec[];
  /** MSK cluster ARN -> local bootstrap servers */
  kafkaClusters: Map<string, string>;
}

export interface DeployContext {
  services: LocalServices;
  outputs: DeploymentOutputs;
  log(line: string): void;
  /** state a family of modules shares for one deployment (created on first use) */
  state<T>(key: string, create: () => T): T;
}

export interface ResourceModule {
  /** CloudFormation types handled; `AWS::EC2::*` stands for a family */
  readonly types: readonly string[];
  /** 'inert': accepted with no local effect (permissions, logging, network), listed as such at start-up */
  readonly effect: 'emulated' | 'inert';
  /** the local service it creates things on; without it the types are listed as not emulated */
  readonly needs?: ServiceName;
  /** how the start-up listing groups the types (default: each type on its own) */
  readonly label?: string;
  /** the value of `Ref` (default: `<stack>-<logicalId>`) */
  ref?(r: ResourceIdentity): string;
  /** `Fn::GetAtt` values known from the physical id alone (ARNs, names) */
  attribute?(r: ResourceIdentity & { ref: string }, name: string): string | undefined;
  /**
   * creates (or finds, on a restart) the resource; resolves attributes known only afterwards
   * (a `Ref` among them replaces the one known before, for the resources created after it)
   */
  deploy?(r: ResourceToDeploy, ctx: DeployContext): Promise<Record<string, string> | void>;
  /** runs once every stack is deployed: families that assemble one thing from many resources */
  finalize?(ctx: DeployContext): Promise<void>;
}
