/**
 * The one list of Task resources this service runs (and so accepts in definitions): anything else is
 * refused when a state machine is created, as AWS refuses an unknown resource.
 *
 *   arn:aws:lambda:<region>:<account>:function:<name>       plain Lambda (legacy)
 *   arn:aws:states:::lambda:invoke[.waitForTaskToken]
 *   arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem
 *   arn:aws:states:::sqs:sendMessage[.waitForTaskToken]
 *   arn:aws:states:::sns:publish[.waitForTaskToken]
 *   arn:aws:states:::events:putEvents[.waitForTaskToken]
 *   arn:aws:states:::states:startExecution[.sync|.sync:2|.waitForTaskToken]
 *   arn:aws:states:::aws-sdk:<service>:<action>[.waitForTaskToken]   (services: see services.ts)
 *
 * Not supported: activities, `.sync` of other services (Batch, ECS, Glue...), HTTP tasks.
 */
import { legacyLambdaIntegration, lambdaInvokeIntegration, type InvokeLambda } from './lambda';
import { dynamodbIntegration, eventsIntegration, sdkIntegration, snsIntegration, sqsIntegration } from './services';
import { statesIntegration, type NestedExecutions } from './states';
import type { Integration, IntegrationResolver } from './types';

export interface IntegrationDeps {
  region: string;
  accountId: string;
  invokeLambda: InvokeLambda;
  edgeUrl: () => string;
  nested: NestedExecutions;
}

const SERVICE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]*:\d*:([a-z0-9-]+):([A-Za-z0-9]+(?::[a-z0-9-]+:[A-Za-z0-9]+)?)(?:\.(waitForTaskToken|sync(?::2)?))?$/;
const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$/;

export function createIntegrations(deps: IntegrationDeps): IntegrationResolver {
  const cache = new Map<string, Integration | null>();
  const env = { edgeUrl: deps.edgeUrl, region: deps.region };
  const resolveUncached = (arn: string): Integration | null => {
    if (LAMBDA_ARN.test(arn)) return legacyLambdaIntegration(deps.invokeLambda, arn, { region: deps.region, account: deps.accountId });
    const sdk = /^arn:aws[a-z-]*:states:[a-z0-9-]*:\d*:aws-sdk:([a-z0-9]+):([a-z][A-Za-z0-9]*)(\.waitForTaskToken)?$/.exec(arn);
    if (sdk) return sdkIntegration(env, sdk[1], sdk[2], !!sdk[3]);
    const m = SERVICE_ARN.exec(arn);
    if (!m) return null;
    const [, service, action, mode] = m;
    const token = mode === 'waitForTaskToken';
    if (mode && mode !== 'waitForTaskToken' && service !== 'states') return null;
    switch (service) {
      case 'lambda':
        return action === 'invoke' ? lambdaInvokeIntegration(deps.invokeLambda, { region: deps.region, account: deps.accountId }, token) : null;
      case 'dynamodb':
        return token ? null : dynamodbIntegration(env, action);
      case 'sqs':
        return sqsIntegration(env, action, token);
      case 'sns':
        return snsIntegration(env, action, token);
      case 'events':
        return eventsIntegration(env, action, token);
      case 'states':
        return statesIntegration(deps.nested, action, (mode ?? '') as '' | 'sync' | 'sync:2' | 'waitForTaskToken');
      default:
        return null;
    }
  };
  return {
    resolve(arn: string) {
      let i = cache.get(arn);
      if (i === undefined) {
        i = resolveUncached(arn);
        cache.set(arn, i);
      }
      return i;
    },
  };
}

export type { InvokeLambda, LambdaInvokeResult } from './lambda';
export type { NestedExecutions, ChildDescription } from './states';
