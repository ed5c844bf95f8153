/**
 * The API Gateway REST API family. Each resource of the family is recorded as it is deployed;
 * once every stack is deployed, the records are assembled into one spec per REST API (routes,
 * integrations, validators and models, API keys, usage plans with their throttles and quotas,
 * the stage throttle) for the local API Gateway.
 */
import type { MethodSpec, RestApiSpec } from '../../apigateway';
import { shortId } from '../physical-ids';
import type { DeployContext, ResourceModule, ResourceToDeploy } from '../types';

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const STATE = 'apigateway';
const records = (ctx: DeployContext) => ctx.state(STATE, () => [] as ResourceToDeploy[]);

export const apiGateway: ResourceModule = {
  types: [
    'AWS::ApiGateway::RestApi',
    'AWS::ApiGateway::Resource',
    'AWS::ApiGateway::Method',
    'AWS::ApiGateway::Stage',
    'AWS::ApiGateway::ApiKey',
    'AWS::ApiGateway::UsagePlan',
    'AWS::ApiGateway::UsagePlanKey',
    'AWS::ApiGateway::RequestValidator',
    'AWS::ApiGateway::Model',
  ],
  effect: 'emulated',
  needs: 'apigateway',
  ref: (r) => {
    if (r.type === 'AWS::ApiGateway::Stage' && typeof r.rawProperties.StageName === 'string') return r.rawProperties.StageName;
    if (r.type === 'AWS::ApiGateway::Model' && typeof r.rawProperties.Name === 'string') return r.rawProperties.Name;
    return r.type === 'AWS::ApiGateway::Stage' ? r.logicalId : shortId(`${r.stackName}/${r.logicalId}`);
  },
  attribute: (r, name) => (r.type === 'AWS::ApiGateway::RestApi' && name === 'RootResourceId' ? rootResourceId(r.ref) : undefined),
  async deploy(r, ctx) {
    records(ctx).push(r);
  },
  async finalize(ctx) {
    const all = records(ctx);
    for (const api of all.filter((r) => r.type === 'AWS::ApiGateway::RestApi')) {
      ctx.outputs.apis.push(restApiSpec(api, all, ctx.services.apigateway!.apiKeyValue));
    }
  },
};

const rootResourceId = (apiId: string) => shortId(`${apiId}/root`);

/** Lambda proxy URIs look like arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations. */
function functionFromUri(uri: string): string {
  const m = /functions\/(.+)\/invocations$/.exec(uri);
  if (!m) throw new Error(`unsupported integration URI ${uri}`);
  return m[1]!.split(':function:').pop()!.split(':')[0]!;
}

function restApiSpec(api: ResourceToDeploy, all: ResourceToDeploy[], apiKeyValue: (id: string, name: string) => string): RestApiSpec {
  const apiId = api.ref;
  const rootId = rootResourceId(apiId);
  const of = (type: string) => all.filter((r) => r.type === type);
  const ofApi = (type: string) => of(type).filter((r) => r.properties.RestApiId === apiId);

  // resource tree: physical id -> full path
  const paths = new Map<string, string>([[rootId, '/']]);
  const pending = ofApi('AWS::ApiGateway::Resource');
  while (pending.length) {
    const before = pending.length;
    for (let i = pending.length - 1; i >= 0; i--) {
      const { ref, properties: p } = pending[i]!;
      const parent = paths.get(p.ParentId);
      if (parent === undefined) continue;
      paths.set(ref, `${parent === '/' ? '' : parent}/${p.PathPart}`);
      pending.splice(i, 1);
    }
    if (pending.length === before) throw new Error(`API ${api.logicalId}: resources with unknown parents`);
  }

  const validators = new Map(of('AWS::ApiGateway::RequestValidator').map((r) => [r.ref, r.properties]));
  const models = new Map(of('AWS::ApiGateway::Model').map((r) => [r.ref, r.properties]));
  const byPath = new Map<string, MethodSpec[]>();
  for (const { logicalId, properties: p } of ofApi('AWS::ApiGateway::Method')) {
    const path = paths.get(p.ResourceId ?? rootId);
    if (!path) throw new Error(`method ${logicalId}: unknown resource ${p.ResourceId}`);
    const integration = p.Integration ?? {};
    const validator: Props | undefined = p.RequestValidatorId ? validators.get(p.RequestValidatorId) : undefined;
    const modelName = p.RequestModels?.['application/json'];
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
      requestModel: modelName ? models.get(modelName)?.Schema : undefined,
    };
    byPath.set(path, [...(byPath.get(path) ?? []), method]);
  }

  const stage = ofApi('AWS::ApiGateway::Stage')[0]?.properties;
  const stageSetting = (stage?.MethodSettings as Props[] | undefined)?.find((s) => s.ResourcePath === '/*' && s.HttpMethod === '*');

  const keyIds = new Set<string>();
  const apiKeys = of('AWS::ApiGateway::ApiKey').map(({ ref, logicalId, properties: p }) => {
    keyIds.add(ref);
    const name = p.Name ?? logicalId;
    return { id: ref, name, value: p.Value ?? apiKeyValue(ref, name), enabled: p.Enabled !== false };
  });
  const planKeys = of('AWS::ApiGateway::UsagePlanKey').map((r) => r.properties);
  const usagePlans = of('AWS::ApiGateway::UsagePlan')
    .filter(({ properties: p }) => (p.ApiStages ?? []).some((s: Props) => s.ApiId === apiId))
    .map(({ ref, properties: p }) => ({
      id: ref,
      name: p.UsagePlanName ?? ref,
      throttle: p.Throttle ? { rateLimit: Number(p.Throttle.RateLimit), burstLimit: Number(p.Throttle.BurstLimit) } : undefined,
      quota: p.Quota ? { limit: Number(p.Quota.Limit), period: p.Quota.Period, offset: p.Quota.Offset } : undefined,
      apiStages: (p.ApiStages as Props[]).map((s) => ({
        apiId: s.ApiId,
        stage: s.Stage,
        throttle: s.Throttle
          ? Object.fromEntries(
              Object.entries(s.Throttle as Record<string, Props>).map(([k, t]) => [k, { rateLimit: Number(t.RateLimit), burstLimit: Number(t.BurstLimit) }]),
            )
          : undefined,
      })),
      keyIds: planKeys.filter((k) => k.UsagePlanId === ref && keyIds.has(k.KeyId)).map((k) => k.KeyId as string),
    }));

  return {
    id: apiId,
    name: api.properties.Name ?? api.logicalId,
    stageName: stage?.StageName ?? 'prod',
    resources: [...byPath].map(([path, methods]) => ({ path, methods })),
    apiKeys,
    usagePlans,
    stageThrottle: stageSetting
      ? { rateLimit: Number(stageSetting.ThrottlingRateLimit ?? 10000), burstLimit: Number(stageSetting.ThrottlingBurstLimit ?? 5000) }
      : undefined,
  };
}
