/**
 * The platform's one REST API: a stage with tracing, access logs and a stage-wide throttle;
 * API keys required on every method but health; request validators; and the usage plans of
 * lib/config.ts (per-method throttles at the original per-service rates, daily quotas).
 * Services add routes through `route()`; usage plans are attached once every route exists.
 */
import { Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { methodThrottle, STAGE_NAME, USAGE_PLANS, type ServiceName } from '../config';

export interface RouteOptions {
  /** default true; health checks pass false */
  apiKeyRequired?: boolean;
  /** JSON schema (draft 4) of the body; API Gateway rejects bodies that break it */
  bodySchema?: apigw.JsonSchema;
  /** query string parameters: name -> required */
  query?: Record<string, boolean>;
}

interface RouteRecord {
  service: ServiceName;
  method: apigw.Method;
  apiKeyRequired: boolean;
}

export class PlatformApi extends Construct {
  readonly api: apigw.RestApi;
  readonly plans: Record<keyof typeof USAGE_PLANS, apigw.UsagePlan>;
  private readonly routes: RouteRecord[] = [];
  private readonly validator: apigw.RequestValidator;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.THREE_MONTHS });
    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: 'ecommerce-api',
      description: 'Orders, Inventory, Catalog, Payments and Notifications',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      apiKeySourceType: apigw.ApiKeySourceType.HEADER,
      cloudWatchRole: true,
      defaultMethodOptions: { apiKeyRequired: true },
      deployOptions: {
        stageName: STAGE_NAME,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: apigw.MethodLoggingLevel.INFO,
        dataTraceEnabled: false,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
        throttlingRateLimit: 5_000,
        throttlingBurstLimit: 10_000,
      },
    });
    this.validator = this.api.addRequestValidator('Validator', {
      requestValidatorName: 'body-and-parameters',
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    this.plans = {
      standard: this.plan('standard'),
      partner: this.plan('partner'),
      internal: this.plan('internal'),
    };
    Validations.of(this.api).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-APIG3',
        reason: 'WAF is an account-level choice (cost, managed rule sets); throttling and quotas are enforced by usage plans',
      },
      {
        id: 'AwsSolutions::AwsSolutions-APIG4',
        reason: 'Callers are identified by API keys and limited by usage plans, as the platform specifies; end-user auth is not in scope',
      },
      {
        id: 'AwsSolutions::AwsSolutions-COG4',
        reason: 'No Cognito user pool: callers are identified by API keys and usage plans, as the platform specifies',
      },
      {
        id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason: "API Gateway's account-level CloudWatch role uses the AWS managed AmazonAPIGatewayPushToCloudWatchLogs policy, scoped by AWS to logging",
      },
    );
  }

  /** Adds `METHOD path` served by a function of `service`. */
  route(service: ServiceName, httpMethod: string, path: string, fn: lambda.IFunction, options: RouteOptions = {}): apigw.Method {
    const resource = this.api.root.resourceForPath(path);
    const apiKeyRequired = options.apiKeyRequired ?? true;
    const model = options.bodySchema
      ? this.api.addModel(`${service}${httpMethod}${path.replace(/[^A-Za-z0-9]/g, '')}Model`, {
          contentType: 'application/json',
          schema: options.bodySchema,
        })
      : undefined;
    const method = resource.addMethod(httpMethod, new apigw.LambdaIntegration(fn, { proxy: true }), {
      apiKeyRequired,
      requestValidator: this.validator,
      requestModels: model ? { 'application/json': model } : undefined,
      requestParameters: Object.fromEntries(
        Object.entries(options.query ?? {}).map(([name, required]) => [`method.request.querystring.${name}`, required]),
      ),
    });
    this.routes.push({ service, method, apiKeyRequired });
    return method;
  }

  /** Attaches the API stage to every plan with the per-method throttles of the routes added so far. */
  attachPlans(): void {
    for (const [name, plan] of Object.entries(this.plans) as Array<[keyof typeof USAGE_PLANS, apigw.UsagePlan]>) {
      const settings = USAGE_PLANS[name];
      plan.addApiStage({
        stage: this.api.deploymentStage,
        throttle: settings.perMethodThrottles
          ? this.routes.filter((r) => r.apiKeyRequired).map((r) => ({ method: r.method, throttle: methodThrottle(r.service, settings) }))
          : undefined,
      });
    }
  }

  private plan(name: keyof typeof USAGE_PLANS): apigw.UsagePlan {
    const settings = USAGE_PLANS[name];
    const plan = this.api.addUsagePlan(`${name}Plan`, {
      name: `ecommerce-${name}`,
      description: settings.description,
      throttle: { rateLimit: settings.rateLimit, burstLimit: settings.burstLimit },
      quota: { limit: settings.dailyQuota, period: apigw.Period.DAY },
    });
    // The key's value is generated by API Gateway (never in the template); read it with
    // `aws apigateway get-api-key --include-value` after deploy.
    plan.addApiKey(this.api.addApiKey(`${name}Key`, { apiKeyName: `ecommerce-${name}`, description: `${name} plan key` }));
    return plan;
  }
}
