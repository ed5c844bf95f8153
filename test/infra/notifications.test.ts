/**
 * The Notifications service in the synthesized template: its tables and indexes, SES identity and
 * configuration set, the consumer's two event source mappings, routes with keys, and roles that
 * reach only what each function uses (SMS by NotResource, push endpoints of one application).
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../lib/app';
import { CONFIGURATION_SET_NAME, CONSUMER_GROUPS, CONTEXT } from '../../lib/services/notifications';
import { TEMPLATE_ONLY } from '../support/synth';

const synth = (context: Record<string, unknown> = {}) => {
  const { stateful, stateless } = buildApp({ outdir: mkdtempSync(path.join(os.tmpdir(), 'cdk-ntf-')), context: { ...TEMPLATE_ONLY, ...context } });
  return { data: Template.fromStack(stateful), app: Template.fromStack(stateless) };
};

const { data, app } = synth();
const resources = app.toJSON().Resources as Record<string, { Type: string; Properties: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any

function policyOf(prefix: string): any[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  const [, fn] = Object.entries(resources).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(prefix))!;
  const role = fn.Properties.Role['Fn::GetAtt'][0] as string;
  const [, policy] = Object.entries(resources).find(([, r]) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: { Ref: string }) => x.Ref === role))!;
  return policy.Properties.PolicyDocument.Statement;
}
const actionsOf = (statements: any[]) => statements.flatMap((s) => [s.Action].flat()); // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Notifications in CDK', () => {
  it('has the preferences, history (indexed by order, user and status, newest first) and order projection tables', () => {
    data.hasResourceProperties('AWS::DynamoDB::Table', { KeySchema: [{ AttributeName: 'user_id', KeyType: 'HASH' }] });
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'notification_id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
      GlobalSecondaryIndexes: ['by_order', 'order_id', 'by_user', 'user_id', 'by_status', 'status'].flatMap((v, i, a) =>
        i % 2 ? [] : [Match.objectLike({ IndexName: v, KeySchema: [{ AttributeName: a[i + 1], KeyType: 'HASH' }, { AttributeName: 'sort_key', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } })],
      ),
    });
    data.hasResourceProperties('AWS::DynamoDB::Table', { KeySchema: [{ AttributeName: 'order_id', KeyType: 'HASH' }], TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true } });
  });

  it('has an SES identity from context (a domain by default) with its configuration set', () => {
    app.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'shop.example.com', ConfigurationSetAttributes: { ConfigurationSetName: Match.anyValue() } });
    app.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: CONFIGURATION_SET_NAME, SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] } });
    const custom = synth({ [CONTEXT.emailIdentity]: 'orders@shop.test', [CONTEXT.pushPlatformApplicationArn]: 'arn:aws:sns:eu-west-1:123456789012:app/APNS/shop-ios' });
    custom.app.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'orders@shop.test' });
    custom.app.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ NOTIFICATIONS_FROM_ADDRESS: 'orders@shop.test', NOTIFICATIONS_PUSH_APPLICATION_ARN: 'arn:aws:sns:eu-west-1:123456789012:app/APNS/shop-ios' }) },
    });
    expect(() => synth({ [CONTEXT.pushPlatformApplicationArn]: 'arn:aws:sns:eu-west-1:123456789012:my-topic' })).toThrow(/must be an SNS platform application ARN/);
  });

  it('feeds one consumer from order-events and payment-events, each with its group and an on-failure destination', () => {
    const mine = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping' && Object.values(CONSUMER_GROUPS).includes(r.Properties.AmazonManagedKafkaEventSourceConfig?.ConsumerGroupId));
    expect(mine.map((m) => [m.Properties.Topics[0], m.Properties.AmazonManagedKafkaEventSourceConfig.ConsumerGroupId]).sort()).toEqual([
      ['order-events', 'notifications-orders'],
      ['payment-events', 'notifications-payments'],
    ]);
    expect(new Set(mine.map((m) => JSON.stringify(m.Properties.FunctionName))).size).toBe(1);
    for (const m of mine) {
      expect(m.Properties.DestinationConfig.OnFailure.Destination).toBeDefined();
      expect(m.Properties.BatchSize).toBe(10);
    }
  });

  it('routes the API with keys, health without, and the original service rate', () => {
    const methods = Object.entries(resources).filter(([id, r]) => r.Type === 'AWS::ApiGateway::Method' && id.includes('notifications'));
    expect(methods.map(([, m]) => m.Properties.HttpMethod).sort()).toEqual(['GET', 'GET', 'GET', 'POST', 'PUT']);
    for (const [id, m] of methods) expect(m.Properties.ApiKeyRequired).toBe(!/health/i.test(id));
    // the standard plan: the original's 100 requests a minute for this service, on each keyed route
    const standard = Object.values(resources).find((r) => r.Type === 'AWS::ApiGateway::UsagePlan' && r.Properties.UsagePlanName === 'ecommerce-standard')!;
    const throttles = Object.entries(standard.Properties.ApiStages[0].Throttle as Record<string, unknown>).filter(([route]) => route.startsWith('/api/notifications/'));
    expect(Object.fromEntries(throttles)).toEqual(
      Object.fromEntries(['/send/POST', '/history/GET', '/preferences/{user_id}/GET', '/preferences/{user_id}/PUT'].map((r) => [`/api/notifications${r}`, { RateLimit: 1.667, BurstLimit: 20 }])),
    );
  });

  it('grants each function only what it uses', () => {
    const api = policyOf('NotificationsApiFn');
    const events = policyOf('NotificationsEventsFn');
    expect(actionsOf(api)).toEqual(expect.arrayContaining(['dynamodb:Query', 'ses:SendEmail', 'sns:Publish', 'sns:CreatePlatformEndpoint', 'sns:SetEndpointAttributes']));
    expect(actionsOf(events)).not.toContain('sns:CreatePlatformEndpoint');
    // the consumer reads the history by key only (its Query is the backbone's grant on the processed-events table)
    const queries = events.filter((st: { Action: unknown }) => [st.Action].flat().includes('dynamodb:Query'));
    expect(JSON.stringify(queries)).not.toMatch(/NotificationsTable/);
    expect(JSON.stringify(queries)).toMatch(/ProcessedEventsTable/);
    for (const statements of [api, events]) {
      expect(actionsOf(statements).some((a: string) => a.endsWith('*'))).toBe(false);
      const sms = statements.find((s: { NotResource?: unknown }) => s.NotResource);
      expect(sms).toMatchObject({ Action: 'sns:Publish', NotResource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:*:*:*']] } });
      const email = statements.find((s: { Action: unknown }) => s.Action === 'ses:SendEmail');
      expect(email.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'notifications@shop.example.com' } });
      const wildcards = statements.flatMap((s: { Resource?: unknown }) => [s.Resource ?? []].flat()).filter((r: unknown) => JSON.stringify(r).includes('*'));
      expect(wildcards.map((r: unknown) => JSON.stringify(r).replace(/.*:(endpoint\/[^"]*)".*/, '$1'))).toEqual(
        expect.arrayContaining(['endpoint/GCM/ecommerce-notifications/*']),
      );
    }
  });
});
