/**
 * The resource modules of the template deployer, one per CloudFormation type or family. Adding a
 * resource type is adding a module to this list; what the start-up listing calls "accepted
 * without local effect" and "not emulated yet" is derived from it.
 */
import { apiGateway } from './resources/apigateway';
import { dynamodbTable } from './resources/dynamodb-table';
import { cloudwatchAlarm, cloudwatchCompositeAlarm, cloudwatchDashboard } from './resources/cloudwatch';
import { serverlessCache } from './resources/elasticache';
import { eventArchive, eventBus, eventRule } from './resources/eventbridge';
import { eventSourceMapping } from './resources/event-source-mapping';
import { bookkeeping, iam, logGroups, network, policyCustomResources } from './resources/inert';
import { lambdaFunction } from './resources/lambda-function';
import { mskCluster, mskTopic } from './resources/msk';
import { openSearchDomain } from './resources/opensearch-domain';
import { secretsManagerSecret } from './resources/secrets-manager';
import { sesConfigurationSet, sesEmailIdentity, sesTemplate } from './resources/ses';
import { snsSubscription, snsTopic, snsTopicPolicy } from './resources/sns';
import { sqsQueue, sqsQueuePolicy } from './resources/sqs-queue';
import { stateMachine } from './resources/stepfunctions';
import { arn, generatedName } from './physical-ids';
import type { LocalServices, ResourceIdentity, ResourceModule } from './types';

export const RESOURCE_MODULES: readonly ResourceModule[] = [
  dynamodbTable,
  lambdaFunction,
  eventSourceMapping,
  apiGateway,
  mskCluster,
  mskTopic,
  openSearchDomain,
  serverlessCache,
  sqsQueue,
  sqsQueuePolicy,
  snsTopic,
  snsSubscription,
  snsTopicPolicy,
  sesEmailIdentity,
  sesTemplate,
  sesConfigurationSet,
  stateMachine,
  eventBus,
  eventRule,
  eventArchive,
  cloudwatchAlarm,
  cloudwatchDashboard,
  cloudwatchCompositeAlarm,
  secretsManagerSecret,
  iam,
  logGroups,
  bookkeeping,
  policyCustomResources,
  network,
];

export class ResourceRegistry {
  private readonly exact = new Map<string, ResourceModule>();
  private readonly families: Array<[prefix: string, module: ResourceModule]> = [];

  constructor(modules: readonly ResourceModule[] = RESOURCE_MODULES) {
    for (const m of modules) {
      for (const type of m.types) {
        if (type.endsWith('*')) this.families.push([type.slice(0, -1), m]);
        else if (this.exact.has(type)) throw new Error(`two resource modules handle ${type}`);
        else this.exact.set(type, m);
      }
    }
  }

  /** The module for a type, if any. */
  moduleFor(type: string): ResourceModule | undefined {
    return this.exact.get(type) ?? this.families.find(([prefix]) => type.startsWith(prefix))?.[1];
  }

  /**
   * What the local cloud does with a type, given the services running: 'emulated' (created on a
   * local service), 'inert' (accepted, no local effect) or 'not-emulated' (named at start-up).
   */
  classify(type: string, services: LocalServices): 'emulated' | 'inert' | 'not-emulated' {
    const m = this.moduleFor(type);
    if (!m) return 'not-emulated';
    if (m.effect === 'inert') return 'inert';
    return m.needs && !services[m.needs] ? 'not-emulated' : 'emulated';
  }

  /** The value of `Ref` for a resource (CloudFormation's generated name when its module says nothing). */
  ref(r: ResourceIdentity): string {
    return this.moduleFor(r.type)?.ref?.(r) ?? generatedName(r);
  }

  /**
   * The value of `Fn::GetAtt` known from the physical id alone. An attribute no module knows (a
   * type not emulated yet) still resolves, to a recognisable placeholder ARN.
   */
  attribute(r: ResourceIdentity & { ref: string }, name: string): string {
    return this.moduleFor(r.type)?.attribute?.(r, name) ?? arn(r, 'local', `${r.logicalId}/${name}`);
  }

  /** How the start-up listing names a type (families share one line). */
  label(type: string): string {
    return this.moduleFor(type)?.label ?? type;
  }
}
