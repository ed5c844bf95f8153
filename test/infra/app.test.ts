import { Match, Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../lib/app';
import { methodThrottle, USAGE_PLANS } from '../../lib/config';
import { LAMBDAS_DIR, ServiceFunction } from '../../lib/constructs/service-function';
import { passesFilters } from '../../local/eventbridge/pattern';
import { TEMPLATE_ONLY } from '../support/synth';

const outdir = mkdtempSync(path.join(os.tmpdir(), 'cdk-infra-'));
const { app, stateful, stateless } = buildApp({ outdir, context: TEMPLATE_ONLY });
const assembly = app.synth();
const data = Template.fromStack(stateful);
const api = Template.fromStack(stateless);
const statelessJson = api.toJSON() as { Resources: Record<string, { Type: string; Properties: any }> }; // eslint-disable-line @typescript-eslint/no-explicit-any

const byType = (type: string) => Object.entries(statelessJson.Resources).filter(([, r]) => r.Type === type);

describe('cdk-nag AwsSolutions gate', () => {
  it('synthesizes with no unacknowledged finding, and every acknowledgement has a reason', () => {
    const report = JSON.parse(readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    const text = JSON.stringify(report);
    expect(text).toContain('AwsSolutions');
    const nag = report.pluginReports.find((p: { pluginName: string }) => p.pluginName === 'AwsSolutions');
    expect(nag.conclusion).toBe('success');
    expect(nag.violations).toEqual([]);
    expect(nag.suppressedViolations.length).toBeGreaterThan(0);
    const acks = Object.values(stateless.node.findAll()).flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules'));
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      for (const reason of Object.values(ack.data as Record<string, string>)) expect(reason.length).toBeGreaterThan(20);
    }
  });
});

describe('tables', () => {
  it('are on-demand, keyed by their ids, with point-in-time recovery and streams', () => {
    data.resourceCountIs('AWS::DynamoDB::Table', 13);
    for (const key of ['product_id', 'reservation_id', 'id', 'order_id', 'payment_id']) {
      data.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    }
    // the outbox, keyed by aggregate so that one aggregate's events keep their order, streams its
    // inserts to the publisher and forgets events after a week
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'aggregate_id', KeyType: 'HASH' },
        { AttributeName: 'event_id', KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
    });
    // each order's event log: appends keyed (order_id, seq), streamed to the saga starter
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'order_id', KeyType: 'HASH' },
        { AttributeName: 'seq', KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
    });
    // orders listed by user, newest first; payments found by order
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: Match.arrayWith([Match.objectLike({ IndexName: 'by_user', KeySchema: [{ AttributeName: 'user_id', KeyType: 'HASH' }, { AttributeName: 'placed_at', KeyType: 'RANGE' }] })]),
    });
    data.hasResourceProperties('AWS::DynamoDB::Table', { GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'by_order' })] });
  });
});

describe('the order events bus', () => {
  it('is a custom bus with an archive of every order outcome', () => {
    data.hasResourceProperties('AWS::Events::EventBus', { Name: 'ecommerce-orders' });
    data.hasResourceProperties('AWS::Events::Archive', { ArchiveName: 'ecommerce-orders-archive', EventPattern: { source: ['ecommerce.orders'] }, RetentionDays: 365 });
  });
});

describe('event backbone', () => {
  it('has an MSK Serverless cluster with IAM auth and the topics of the design', () => {
    data.hasResourceProperties('AWS::MSK::ServerlessCluster', { ClientAuthentication: { Sasl: { Iam: { Enabled: true } } } });
    for (const [topic, partitions] of Object.entries({ 'order-events': 5, 'payment-events': 3, 'inventory-events': 3, 'catalog-events': 3, 'notification-events': 2 })) {
      data.hasResourceProperties('AWS::MSK::Topic', { TopicName: topic, PartitionCount: partitions });
    }
  });

  it('feeds the stock stream function from the stock table, retried until published, gathered for 1 s', () => {
    api.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: Match.objectLike({ 'Fn::ImportValue': Match.stringLikeRegexp('StockTable') }),
      MaximumBatchingWindowInSeconds: 1,
      MaximumRetryAttempts: Match.absent(),
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('feeds the outbox publisher from the outbox stream with partial batch failures, retried until published, with no batching window', () => {
    api.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: Match.objectLike({ 'Fn::ImportValue': Match.stringLikeRegexp('OutboxTable') }),
      MaximumBatchingWindowInSeconds: Match.absent(),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: Match.absent(),
      BisectBatchOnFunctionError: Match.absent(),
      FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] },
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });
});

describe('functions', () => {
  it('all trace with X-Ray and carry Powertools settings', () => {
    const fns = byType('AWS::Lambda::Function');
    expect(fns.length).toBeGreaterThanOrEqual(7);
    for (const [, fn] of fns) {
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect(fn.Properties.Environment.Variables).toMatchObject({ POWERTOOLS_SERVICE_NAME: expect.any(String), POWERTOOLS_METRICS_NAMESPACE: 'Ecommerce' });
    }
  });

  it("each function's role reaches only its own tables", () => {
    const policies = byType('AWS::IAM::Policy');
    const tableRefs = (policy: any) => // eslint-disable-line @typescript-eslint/no-explicit-any
      JSON.stringify(policy.Properties.PolicyDocument).match(/ExportsOutput(?:FnGetAtt|Ref)(\w+?Table)/g) ?? [];
    const roleOf = (name: string) => {
      const fn = byType('AWS::Lambda::Function').find(([id]) => id.startsWith(`Inventory${name}Fn`));
      return fn![1].Properties.Role['Fn::GetAtt'][0] as string;
    };
    const policyFor = (name: string) => policies.find(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleOf(name)))!;
    const tablesOf = (name: string) =>
      new Set(tableRefs(policyFor(name)[1]).map((t) => /(Stock|Reservations|Outbox|Products|ProcessedEvents)Table/.exec(t)![1]!.toLowerCase()));
    // the API function (reads and restocks) never touches reservations; the saga's tasks do
    expect(tablesOf('Api')).toEqual(new Set(['stock', 'outbox']));
    expect(tablesOf('Tasks')).toEqual(new Set(['stock', 'reservations', 'outbox']));
    expect(JSON.stringify(policyFor('Api')[1].Properties.PolicyDocument)).toMatch(/dynamodb:UpdateItem/);
  });

  it('deploys every exported entry point of lambdas/, and each one it deploys exists', () => {
    // The naming rule (lambdas/README.md): Lambda entry points, and only they, are exported as `handler` or `<name>Handler`.
    const entryPoint = /^export (?:const|(?:async )?function) (handler|[a-z]\w*Handler)\b/gm;
    const exported = readdirSync(LAMBDAS_DIR, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.startsWith('shared/'))
      .flatMap((f) => [...readFileSync(path.join(LAMBDAS_DIR, f), 'utf8').matchAll(entryPoint)].map((m) => `${f}#${m[1]}`));
    const deployed = app.node.findAll().flatMap((c) => (c instanceof ServiceFunction ? [`${c.entry}#${c.handlerName}`] : []));
    expect(new Set(deployed)).toEqual(new Set(exported));
    expect(exported).toContain('inventory/handlers/reservation-tasks.ts#handler');
    expect(exported).toContain('inventory/handlers/api.ts#handler');
    expect(exported).toContain('catalog/handlers/queries.ts#handler');
  });

  it('roles carry no AWS managed policy and log only to their own log group', () => {
    for (const [id, role] of byType('AWS::IAM::Role')) {
      if (id.includes('CloudWatchRole')) continue; // API Gateway's account role (acknowledged)
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('catalog (CQRS)', () => {
  const policyOfFunction = (prefix: string) => {
    const fn = byType('AWS::Lambda::Function').find(([id]) => id.startsWith(prefix))!;
    const role = fn[1].Properties.Role['Fn::GetAtt'][0] as string;
    return JSON.stringify(byType('AWS::IAM::Policy').find(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))![1].Properties.PolicyDocument);
  };

  it('queries read and never write; only the projection writes the search index', () => {
    const queries = policyOfFunction('CatalogQueriesFn');
    expect(queries).not.toMatch(/dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)/);
    expect(queries).toMatch(/es:ESHttpGet/);
    expect(queries).not.toMatch(/es:ESHttp(Put|Delete|\*)/);
    expect(policyOfFunction('CatalogProjectionFn')).toMatch(/es:ESHttp/);
    expect(policyOfFunction('CatalogCommandsFn')).not.toMatch(/es:ESHttp/);
  });

  it('feeds each Kafka consumer from its topic with an on-failure destination, no batching window', () => {
    const kafkaMappings = byType('AWS::Lambda::EventSourceMapping').filter(([, m]) => m.Properties.Topics);
    expect(kafkaMappings.map(([, m]) => m.Properties.Topics[0]).sort()).toEqual(['catalog-events', 'catalog-events', 'catalog-events', 'inventory-events', 'order-events', 'order-events', 'payment-events']);
    for (const [, m] of kafkaMappings) {
      expect(m.Properties.DestinationConfig.OnFailure.Destination).toBeDefined();
      expect(m.Properties.AmazonManagedKafkaEventSourceConfig.ConsumerGroupId).toEqual(expect.any(String));
      expect(m.Properties.MaximumBatchingWindowInSeconds ?? 0).toBe(0);
    }
  });

  it("filters each consumer's records to the event types its handler acts on (the projection takes every catalog event)", () => {
    const kafkaMappings = byType('AWS::Lambda::EventSourceMapping').filter(([, m]) => m.Properties.Topics);
    const byGroup = new Map(kafkaMappings.map(([, m]) => [m.Properties.AmazonManagedKafkaEventSourceConfig.ConsumerGroupId as string, m.Properties]));
    const admits = (group: string, type: string) => {
      const filters = ((byGroup.get(group)!.FilterCriteria?.Filters ?? []) as Array<{ Pattern: string }>).map((f) => f.Pattern);
      return passesFilters(filters, { value: { id: 'e1', type, source: 'test', subject: 's1', data: {} } });
    };
    const cases: Array<[string, string[], string[]]> = [
      ['catalog-projection', ['catalog.product.created', 'catalog.product.stock_changed', 'catalog.product.popularity_changed', 'catalog.product.deleted'], []],
      ['orders-prices', ['catalog.product.created', 'catalog.product.updated', 'catalog.product.deleted'], ['catalog.product.stock_changed', 'catalog.product.popularity_changed']],
      ['inventory-catalog-events', ['catalog.product.created'], ['catalog.product.updated', 'catalog.product.stock_changed', 'catalog.product.deleted']],
      ['catalog-signals-inventory', ['inventory.stock.changed', 'inventory.stock.low'], ['inventory.stock.reserved', 'inventory.reservation.committed', 'inventory.reservation.released', 'inventory.stock.restocked']],
      ['catalog-signals-orders', ['order.confirmed'], ['order.placed', 'order.cancelled']],
      ['notifications-orders', ['order.placed', 'order.confirmed', 'order.cancelled'], ['order.unknown']],
      ['notifications-payments', ['payment.refunded'], ['payment.captured', 'payment.declined']],
    ];
    expect(cases.map(([g]) => g).sort()).toEqual([...byGroup.keys()].sort());
    for (const [group, taken, dropped] of cases) {
      for (const type of taken) expect([group, type, admits(group, type)]).toEqual([group, type, true]);
      for (const type of dropped) expect([group, type, admits(group, type)]).toEqual([group, type, false]);
    }
  });

  it('has a search domain in the VPC with encryption at rest and in transit', () => {
    data.hasResourceProperties('AWS::OpenSearchService::Domain', {
      EncryptionAtRestOptions: { Enabled: true },
      NodeToNodeEncryptionOptions: { Enabled: true },
      DomainEndpointOptions: Match.objectLike({ EnforceHTTPS: true }),
      VPCOptions: Match.objectLike({ SubnetIds: Match.anyValue() }),
    });
    data.resourceCountIs('AWS::ElastiCache::ServerlessCache', 1);
  });
});

describe('REST API', () => {
  it('requires an API key on every method but health', () => {
    const methods = byType('AWS::ApiGateway::Method');
    expect(methods.length).toBeGreaterThanOrEqual(4);
    for (const [id, m] of methods) {
      if (/health/i.test(id)) expect(m.Properties.ApiKeyRequired).toBe(false);
      else expect(m.Properties.ApiKeyRequired).toBe(true);
      expect(m.Properties.Integration.Type).toBe('AWS_PROXY');
    }
  });

  it('has tracing, access logs and a request validator on the stage', () => {
    api.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: true,
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
    api.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
  });

  it('has the standard, partner and internal usage plans with throttles and daily quotas', () => {
    for (const [name, plan] of Object.entries(USAGE_PLANS)) {
      api.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
        UsagePlanName: `ecommerce-${name}`,
        Throttle: { RateLimit: plan.rateLimit, BurstLimit: plan.burstLimit },
        Quota: { Limit: plan.dailyQuota, Period: 'DAY' },
      });
    }
    api.resourceCountIs('AWS::ApiGateway::ApiKey', 3);
    api.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 3);
  });

  it("throttles each method at the original per-service rate (100 a minute for inventory)", () => {
    const standard = byType('AWS::ApiGateway::UsagePlan').find(([, p]) => p.Properties.UsagePlanName === 'ecommerce-standard')![1];
    const throttles = standard.Properties.ApiStages[0].Throttle as Record<string, { RateLimit: number; BurstLimit: number }>;
    const expected = methodThrottle('inventory', USAGE_PLANS.standard);
    expect(expected.rateLimit).toBeCloseTo(100 / 60, 2);
    expect(throttles['/api/inventory/{product_id}/GET']).toEqual({ RateLimit: expected.rateLimit, BurstLimit: expected.burstLimit });
    expect(throttles['/api/inventory/{product_id}/restock/POST']).toBeDefined();
    expect(Object.keys(throttles).some((k) => k.includes('health'))).toBe(false);
  });

  it('puts no secret or key value in the template', () => {
    for (const [, key] of byType('AWS::ApiGateway::ApiKey')) expect(key.Properties.Value).toBeUndefined();
  });
});
