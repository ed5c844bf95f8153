/**
 * The Notifications service: an API function (preferences, direct sends, history, health) and
 * the consumer of order and payment events, both sending through SES v2 (email) and SNS (SMS to
 * phone numbers, mobile push to platform endpoints), each granted only what it uses.
 *
 * Configuration from CDK context (cdk.json or `-c key=value`):
 * - `notifications:emailIdentity`: the SES identity, a domain (`shop.example.com`) or an address
 *   (default `shop.example.com`); a domain identity is verified through its DNS records, an
 *   address by the mail SES sends to it.
 * - `notifications:fromAddress`: the From address (default `notifications@<domain>`, or the
 *   identity itself when it is an address).
 * - `notifications:pushPlatformApplicationArn`: the SNS platform application of the mobile app
 *   (default `arn:<partition>:sns:<region>:<account>:app/GCM/ecommerce-notifications`). SNS
 *   platform applications have no CloudFormation type: create it with the FCM or APNs
 *   credentials (`aws sns create-platform-application`) and name it here. The local cloud creates
 *   one at start (local/platform/notifications.ts).
 * - `notifications:smsSenderId`: an SMS sender id, where the destination countries support one.
 */
import { Arn, ArnFormat, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { HISTORY_INDEXES } from '../../lambdas/notifications/adapters/dynamodb/history-schema';
import { NOTIFICATION_EVENT_TYPES } from '../../lambdas/notifications/domain/events';
import { DEFAULT_PUSH_APPLICATION, NOTIFICATIONS_ENV } from '../../lambdas/notifications/env';
import { HISTORY_QUERY_PARAMS } from '../../lambdas/notifications/schemas';
import { EVENTS_ENV } from '../../lambdas/shared/env';
import type { KafkaBackbone } from '../constructs/kafka-backbone';
import type { PlatformApi } from '../constructs/platform-api';
import { ServiceFunction } from '../constructs/service-function';
import type { StatefulResources } from '../stateful-stack';

export interface NotificationsServiceProps {
  api: PlatformApi;
  resources: StatefulResources;
  backbone: KafkaBackbone;
}

export const CONTEXT = {
  emailIdentity: 'notifications:emailIdentity',
  fromAddress: 'notifications:fromAddress',
  pushPlatformApplicationArn: 'notifications:pushPlatformApplicationArn',
  smsSenderId: 'notifications:smsSenderId',
} as const;

export const DEFAULT_EMAIL_IDENTITY = 'shop.example.com';
export const CONFIGURATION_SET_NAME = 'ecommerce-notifications';
/** The consumer groups of the two event source mappings (tests reset their offsets to replay). */
export const CONSUMER_GROUPS = { orders: 'notifications-orders', payments: 'notifications-payments' } as const;
export const NOTIFICATIONS_BATCH_SIZE = 10;

/** platform and name of `app/<platform>/<name>` */
function pushApplication(scope: Construct): { platform: string; name: string; arn: string } {
  const stack = Stack.of(scope);
  const given = scope.node.tryGetContext(CONTEXT.pushPlatformApplicationArn) as string | undefined;
  if (given) {
    const parts = Arn.split(given, ArnFormat.SLASH_RESOURCE_NAME);
    const [platform, name] = (parts.resourceName ?? '').split('/');
    if (parts.service !== 'sns' || parts.resource !== 'app' || !platform || !name) {
      throw new Error(`${CONTEXT.pushPlatformApplicationArn} must be an SNS platform application ARN (arn:aws:sns:<region>:<account>:app/<platform>/<name>), got ${given}`);
    }
    return { platform, name, arn: given };
  }
  const { platform, name } = DEFAULT_PUSH_APPLICATION;
  return { platform, name, arn: stack.formatArn({ service: 'sns', resource: 'app', resourceName: `${platform}/${name}`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }) };
}

export class NotificationsService extends Construct {
  /** every API route */
  readonly api: lambda.IFunction;
  /** the consumer of order-events and payment-events */
  readonly events: lambda.IFunction;
  readonly identity: ses.EmailIdentity;
  readonly configurationSet: ses.ConfigurationSet;

  constructor(scope: Construct, id: string, props: NotificationsServiceProps) {
    super(scope, id);
    const { api, backbone } = props;
    const { tables } = props.resources;
    const stack = Stack.of(this);

    // Email: the sender identity and the configuration set every send names.
    const identityName = (this.node.tryGetContext(CONTEXT.emailIdentity) as string | undefined) ?? DEFAULT_EMAIL_IDENTITY;
    const identityIsAddress = identityName.includes('@');
    const fromAddress = (this.node.tryGetContext(CONTEXT.fromAddress) as string | undefined) ?? (identityIsAddress ? identityName : `notifications@${identityName}`);
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: CONFIGURATION_SET_NAME,
      reputationMetrics: true,
      sendingEnabled: true,
      // bounces and complaints put addresses on the account's suppression list: never mailed again
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.identity = new ses.EmailIdentity(this, 'Identity', {
      identity: identityIsAddress ? ses.Identity.email(identityName) : ses.Identity.domain(identityName),
      configurationSet: this.configurationSet,
    });

    const push = pushApplication(this);
    const smsSenderId = this.node.tryGetContext(CONTEXT.smsSenderId) as string | undefined;
    const channels = {
      [NOTIFICATIONS_ENV.fromAddress]: fromAddress,
      [NOTIFICATIONS_ENV.configurationSet]: this.configurationSet.configurationSetName,
      [NOTIFICATIONS_ENV.pushApplicationArn]: push.arn,
      ...(smsSenderId ? { [NOTIFICATIONS_ENV.smsSenderId]: smsSenderId } : {}),
    };
    const stores = {
      [NOTIFICATIONS_ENV.preferencesTable]: tables.notificationPreferences.tableName,
      [NOTIFICATIONS_ENV.historyTable]: tables.notifications.tableName,
    };

    // One API function for every route (one role, one warm environment). Its timeout leaves room
    // for a direct send's retries (three attempts, 3 s each at most, with backoff between).
    this.api = new ServiceFunction(this, 'Api', {
      service: 'notifications',
      entry: 'notifications/handlers/api.ts',
      description: 'Notifications API: preferences, direct sends, history, health',
      environment: { ...channels, ...stores },
      timeout: Duration.seconds(15),
    }).fn;
    // The consumer: separate from the API because Kafka event source mappings feed it (and a
    // batch may take longer than an API answer may).
    this.events = new ServiceFunction(this, 'Events', {
      service: 'notifications',
      entry: 'notifications/handlers/events.ts',
      description: 'Order and payment events -> email, SMS and push on the channels each customer opted into',
      environment: {
        ...channels,
        ...stores,
        [NOTIFICATIONS_ENV.ordersTable]: tables.notificationOrders.tableName,
        [EVENTS_ENV.processedEventsTable]: tables.processedEvents.tableName,
      },
      timeout: Duration.seconds(60),
    }).fn;

    // DynamoDB, by action and table (a transaction's Put is PutItem; queries name each index).
    const table = (fn: lambda.IFunction, arns: string[], actions: string[]) =>
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: actions.map((a) => `dynamodb:${a}`), resources: arns }));
    const history = tables.notifications.tableArn;
    table(this.api, [tables.notificationPreferences.tableArn], ['GetItem', 'PutItem']);
    table(this.api, [history], ['GetItem', 'PutItem', 'UpdateItem']);
    table(this.api, HISTORY_INDEXES.map((i) => `${history}/index/${i.name}`), ['Query']);
    table(this.events, [tables.notificationPreferences.tableArn], ['GetItem']);
    table(this.events, [history], ['GetItem', 'PutItem', 'UpdateItem']);
    table(this.events, [tables.notificationOrders.tableArn], ['GetItem', 'PutItem']);

    // Email: SendEmail from this identity's From address, through this configuration set.
    const sesArn = (resource: string, name: string) => stack.formatArn({ service: 'ses', resource, resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    const sendEmail = new iam.PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [sesArn('identity', identityName), sesArn('configuration-set', CONFIGURATION_SET_NAME)],
      conditions: { StringEquals: { 'ses:FromAddress': fromAddress } },
    });
    // SMS: a Publish to a phone number has no resource ARN; NotResource over every SNS ARN lets
    // these functions text phone numbers and publish to no topic or endpoint through this statement.
    const sendSms = new iam.PolicyStatement({ actions: ['sns:Publish'], notResources: [`arn:${stack.partition}:sns:*:*:*`] });
    // Push: endpoints of this one application are created per device at run time.
    const endpointArns = stack.formatArn({ service: 'sns', resource: 'endpoint', resourceName: `${push.platform}/${push.name}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    const sendPush = new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [endpointArns] });
    for (const fn of [this.api, this.events]) {
      fn.addToRolePolicy(sendEmail);
      fn.addToRolePolicy(sendSms);
      fn.addToRolePolicy(sendPush);
    }
    // Registering a device token: an endpoint of the application, taken over when SNS has one for the token.
    this.api.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:CreatePlatformEndpoint'], resources: [push.arn] }));
    this.api.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:SetEndpointAttributes'], resources: [endpointArns] }));
    // cdk-nag names the resource with the stack's region and account where they are known
    const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
    const endpointsFinding = `arn:<AWS::Partition>:sns:${shown(stack.region, 'Region')}:${shown(stack.account, 'AccountId')}:endpoint/${push.platform}/${push.name}/*`;
    for (const fn of [this.api, this.events]) {
      Validations.of(fn.role!).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${endpointsFinding}]`,
        reason: "Push endpoints are created per device token at run time; the grant names this one platform application's endpoints",
      });
    }

    // Events: one function, one mapping (and consumer group) per topic. Batches of 10: each event
    // is ~100 ms of calls to DynamoDB, SES and SNS, handled in partition order, so a batch of 100
    // would hold an invocation (and the partition's next records) for 10 s or more.
    backbone.addConsumer(this.events, 'order-events', { groupId: CONSUMER_GROUPS.orders, batchSize: NOTIFICATIONS_BATCH_SIZE, eventTypes: NOTIFICATION_EVENT_TYPES.orders });
    backbone.addConsumer(this.events, 'payment-events', { groupId: CONSUMER_GROUPS.payments, batchSize: NOTIFICATIONS_BATCH_SIZE, eventTypes: NOTIFICATION_EVENT_TYPES.payments });

    // Routes: the original's two, preferences, and health.
    api.route('notifications', 'GET', '/api/notifications/health', this.api, { apiKeyRequired: false });
    api.route('notifications', 'POST', '/api/notifications/send', this.api);
    api.route('notifications', 'GET', '/api/notifications/history', this.api, { query: Object.fromEntries(HISTORY_QUERY_PARAMS.map((p) => [p, false])) });
    api.route('notifications', 'GET', '/api/notifications/preferences/{user_id}', this.api);
    api.route('notifications', 'PUT', '/api/notifications/preferences/{user_id}', this.api);
  }
}
