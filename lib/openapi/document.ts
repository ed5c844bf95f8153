/**
 * The OpenAPI 3.1 document of the REST API, built from the route table (routes.ts): request
 * bodies, path and query parameters from the zod schemas the handlers validate with (zod 4's
 * `z.toJSONSchema`, draft 2020-12, the dialect of OpenAPI 3.1), the answers from responses.ts,
 * the platform's error body, the API key scheme, and the usage plans' rates, bursts and quotas
 * (lib/config.ts) as `x-usage-plans` and per operation `x-throttle`.
 */
import { z } from 'zod';
import { methodThrottle, STAGE_NAME, USAGE_PLANS } from '../config';
import { COMPONENTS } from './responses';
import { ROUTES, type RouteDoc } from './routes';

type Json = Record<string, unknown>;

export const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'malformed JSON, or a bad path or query parameter',
  402: 'payment declined',
  404: 'not found',
  409: 'conflict (a version or state that changed, a request in progress)',
  413: 'body too large',
  415: 'the body is not application/json',
  422: 'well-formed input that breaks the schema or a business rule; `details` names each field',
  502: "the provider did not accept the message after the retries (Notifications)",
  503: 'a dependency is unavailable; retry later (Retry-After)',
};

const componentName = new Map<z.ZodType, string>(Object.entries(COMPONENTS).map(([name, s]) => [s, name]));

/** JSON Schema of a zod schema, as the document embeds it (no `$schema`: the document's dialect applies). */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  return rest;
}

const schemaOrRef = (schema: z.ZodType): Json => {
  const name = componentName.get(schema);
  return name ? { $ref: `#/components/schemas/${name}` } : jsonSchema(schema, 'output');
};

const jsonContent = (schema: Json) => ({ 'application/json': { schema } });

function parameters(route: RouteDoc): Json[] {
  const out: Json[] = [];
  const add = (where: 'path' | 'query', schema: z.ZodType | undefined) => {
    if (!schema) return;
    const s = jsonSchema(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, prop] of Object.entries(s.properties ?? {})) {
      out.push({ name, in: where, required: where === 'path' || (s.required ?? []).includes(name), schema: prop });
    }
  };
  add('path', route.params);
  add('query', route.query);
  for (const h of route.headers ?? []) out.push({ name: h.name, in: 'header', required: false, description: h.description, schema: jsonSchema(h.schema, 'input') });
  return out;
}

/** Each plan's limit on this method: the plan-wide ones, or the method's own where the plan has per-method throttles. */
function throttles(route: RouteDoc): Json {
  return Object.fromEntries(
    Object.entries(USAGE_PLANS).map(([plan, settings]) => {
      const t = settings.perMethodThrottles ? methodThrottle(route.service, settings) : { rateLimit: settings.rateLimit, burstLimit: settings.burstLimit };
      return [plan, { rate_limit: t.rateLimit, burst_limit: t.burstLimit, daily_quota: settings.dailyQuota }];
    }),
  );
}

function operation(route: RouteDoc): Json {
  const keyed = route.apiKey !== false;
  const responses: Json = {};
  for (const [status, [description, schema]] of Object.entries(route.responses)) responses[status] = { description, content: jsonContent(schemaOrRef(schema)) };
  for (const status of route.errors) responses[status] = { $ref: `#/components/responses/Error${status}` };
  if (keyed) {
    responses['403'] = { $ref: '#/components/responses/Forbidden' };
    responses['429'] = { $ref: '#/components/responses/Throttled' };
  }
  const params = parameters(route);
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.service],
    ...(keyed ? {} : { security: [] }),
    ...(params.length ? { parameters: params } : {}),
    ...(route.body ? { requestBody: { required: !route.bodyOptional, content: jsonContent(jsonSchema(route.body, 'input')) } } : {}),
    responses,
    ...(keyed ? { 'x-throttle': throttles(route) } : {}),
  };
}

export function buildOpenApiDocument(routes: RouteDoc[] = ROUTES): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  const errorResponses = Object.fromEntries(
    [...new Set(routes.flatMap((r) => r.errors))].sort().map((status) => [
      `Error${status}`,
      { description: ERROR_DESCRIPTIONS[status] ?? `error ${status}`, content: jsonContent({ $ref: '#/components/schemas/Error' }) },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'E-commerce platform API',
      version: '1.0.0',
      description:
        'Orders, Inventory, Catalog, Payments and Notifications behind one REST API (API Gateway). Every route but health needs an API key ' +
        '(`x-api-key`); its usage plan limits each method (`x-throttle`: requests a second, burst) and the key\'s requests a day ' +
        '(`x-usage-plans`). Over a limit: 429; a missing or unknown key: 403. Money is integer minor units (`*_minor`) with the currency; ' +
        'prices come from the catalog. Errors: `{"error": {"code", "message", "details"}}`.',
    },
    servers: [
      { url: `https://{restApiId}.execute-api.{region}.amazonaws.com/${STAGE_NAME}`, variables: { restApiId: { default: 'example' }, region: { default: 'us-east-1' } } },
      { url: 'http://127.0.0.1:{port}', description: 'the local cloud (`npm start`; api_url in .local/endpoints.json)', variables: { port: { default: '4000' } } },
    ],
    security: [{ api_key: [] }],
    tags: [...new Set(routes.map((r) => r.service))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { api_key: { type: 'apiKey', in: 'header', name: 'x-api-key', description: "An API Gateway key of a usage plan (standard, partner or internal)" } },
      schemas: Object.fromEntries(Object.entries(COMPONENTS).map(([name, s]) => [name, jsonSchema(s, 'output')])),
      responses: {
        ...errorResponses,
        Forbidden: { description: 'no API key, or an unknown one (API Gateway)', content: jsonContent({ $ref: '#/components/schemas/GatewayError' }) },
        Throttled: {
          description: "over the method's rate (Too Many Requests) or the key's daily quota (Limit Exceeded) (API Gateway)",
          content: jsonContent({ $ref: '#/components/schemas/GatewayError' }),
        },
      },
    },
    'x-usage-plans': Object.fromEntries(
      Object.entries(USAGE_PLANS).map(([plan, s]) => [
        plan,
        { description: s.description, rate_limit: s.rateLimit, burst_limit: s.burstLimit, quota: { limit: s.dailyQuota, period: 'DAY' }, per_method_throttles: s.perMethodThrottles },
      ]),
    ),
  };
}
