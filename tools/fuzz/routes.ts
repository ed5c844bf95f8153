/**
 * The API's routes, read from the synthesized template (`cdk.out`, what `cdk deploy` and the local
 * cloud deploy): each AWS::ApiGateway::Method with its resource's full path, whether it needs a
 * key, its declared query parameters and its body model.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface Route {
  method: string;
  /** "/api/inventory/{product_id}" */
  path: string;
  apiKeyRequired: boolean;
  query: string[];
  /** the method declares a request model (a JSON body) */
  hasModel: boolean;
}

interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

const refOf = (v: unknown): string | undefined => (v && typeof v === 'object' && 'Ref' in v ? String((v as { Ref: unknown }).Ref) : undefined);

export function routesFromTemplate(cdkOut: string): Route[] {
  const routes: Route[] = [];
  for (const file of readdirSync(cdkOut).filter((f) => f.endsWith('.template.json'))) {
    const resources = (JSON.parse(readFileSync(path.join(cdkOut, file), 'utf8')) as { Resources?: Record<string, CfnResource> }).Resources ?? {};
    const paths = new Map<string, string>();
    const pathOf = (id: string): string => {
      const known = paths.get(id);
      if (known !== undefined) return known;
      const r = resources[id];
      if (!r || r.Type !== 'AWS::ApiGateway::Resource') return ''; // the root resource
      const parent = refOf(r.Properties?.ParentId);
      const p = `${parent ? pathOf(parent) : ''}/${String(r.Properties?.PathPart)}`;
      paths.set(id, p);
      return p;
    };
    for (const r of Object.values(resources)) {
      if (r.Type !== 'AWS::ApiGateway::Method') continue;
      const p = r.Properties ?? {};
      const resourceId = refOf(p.ResourceId);
      const params = Object.keys((p.RequestParameters as Record<string, boolean> | undefined) ?? {});
      routes.push({
        method: String(p.HttpMethod),
        path: resourceId ? pathOf(resourceId) || '/' : '/',
        apiKeyRequired: p.ApiKeyRequired === true,
        query: params.filter((k) => k.startsWith('method.request.querystring.')).map((k) => k.slice('method.request.querystring.'.length)),
        hasModel: !!p.RequestModels,
      });
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
