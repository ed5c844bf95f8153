// Route table: method + path pattern ("/{index}/_doc/{id}") to handler, with OpenSearch's answers for a known path
// with the wrong method (405) and for unknown paths (400 "no handler found").
import { PlainError } from '../errors';
import type { ApiRequest, ApiResponse } from '../api/request';

export type Handler = (req: ApiRequest) => ApiResponse;

interface Route {
  methods: string[];
  parts: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  add(methods: string | string[], pattern: string, handler: Handler): this {
    this.routes.push({ methods: ([] as string[]).concat(methods), parts: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  private match(parts: string[], r: Route): Record<string, string> | null {
    if (parts.length !== r.parts.length) return null;
    const params: Record<string, string> = {};
    for (let i = 0; i < parts.length; i++) {
      const p = r.parts[i];
      if (p.startsWith('{')) {
        // Path parameters never start with "_" (those are API names), except document ids.
        if (parts[i].startsWith('_') && p !== '{id}') return null;
        params[p.slice(1, -1)] = parts[i];
      } else if (p !== parts[i]) return null;
    }
    return params;
  }

  /** Finds the handler; throws OpenSearch's 405/400 answers when none fits. */
  resolve(method: string, path: string): { handler: Handler; params: Record<string, string> } {
    const raw = path.split('/').filter(Boolean);
    const parts = raw.map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
    const allowed = new Set<string>();
    for (const r of this.routes) {
      const params = this.match(parts, r);
      if (!params) continue;
      if (r.methods.includes(method) || (method === 'HEAD' && r.methods.includes('GET'))) return { handler: r.handler, params };
      r.methods.forEach((m) => allowed.add(m));
    }
    if (allowed.size) throw new PlainError(`Incorrect HTTP method for uri [${path}] and method [${method}], allowed: [${[...allowed].join(', ')}]`, 405);
    throw new PlainError(`no handler found for uri [${path}] and method [${method}]`, 400);
  }
}
