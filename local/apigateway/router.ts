// Route table of one REST API, compiled once into a segment trie.
// Matching follows API Gateway: literal segments beat {param}, which beats the greedy {proxy+}; a method matches its
// own verb first, then ANY. Written by hand rather than with a router library because API Gateway's precedence and
// greedy-parameter rules are specific and the table is tiny.
import { createHash } from 'node:crypto';
import type { MethodSpec } from './types';

export class RouteConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RouteConfigError';
  }
}

export interface CompiledMethod {
  spec: MethodSpec;
  /** The method key as usage-plan throttles name it: "/path/{id}/GET". */
  throttleKey: string;
}

export interface CompiledResource {
  /** Resource path template, e.g. "/api/inventory/{product_id}". */
  path: string;
  /** Stable 6-character resource id, like API Gateway's. */
  id: string;
  methods: Map<string, CompiledMethod>;
}

interface Node {
  literal: Map<string, Node>;
  param?: { name: string; node: Node };
  greedy?: { name: string; resource: CompiledResource };
  resource?: CompiledResource;
}

export type RouteMatch =
  | { kind: 'ok'; resource: CompiledResource; method: CompiledMethod; pathParams: Record<string, string> | null }
  | { kind: 'noRoute' }
  | { kind: 'noMethod'; resource: CompiledResource };

function newNode(): Node {
  return { literal: new Map() };
}

function resourceId(path: string): string {
  return createHash('sha1').update(path).digest('base64').replace(/[^a-z0-9]/gi, '').slice(0, 6).toLowerCase();
}

/** Splits a request path into segments: "/a/b/" => ["a", "b"], "/" => []. */
export function splitPath(path: string): string[] {
  const out: string[] = [];
  let start = 1;
  const len = path.length;
  for (let i = 1; i <= len; i++) {
    if (i === len || path.charCodeAt(i) === 47 /* / */) {
      if (i > start) out.push(path.slice(start, i));
      else if (i < len) out.push('');
      start = i + 1;
    }
  }
  return out;
}

function safeDecode(s: string): string {
  if (s.indexOf('%') < 0) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export class Router {
  private readonly root = newNode();
  readonly resources: CompiledResource[] = [];

  constructor(resources: Array<{ path: string; methods: MethodSpec[] }>) {
    for (const r of resources) this.add(r.path, r.methods);
  }

  private add(path: string, methods: MethodSpec[]): void {
    if (!path.startsWith('/')) throw new RouteConfigError(`resource path must start with "/": ${path}`);
    const resource: CompiledResource = { path, id: resourceId(path), methods: new Map() };
    for (const m of methods) {
      const verb = m.httpMethod.toUpperCase();
      resource.methods.set(verb, { spec: m, throttleKey: `${path}/${verb}` });
    }
    const segs = path === '/' ? [] : path.slice(1).split('/');
    let node = this.root;
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i];
      const param = /^\{([A-Za-z0-9._-]+)(\+?)\}$/.exec(seg);
      if (param && param[2] === '+') {
        if (i !== segs.length - 1) throw new RouteConfigError(`greedy parameter must be the last segment: ${path}`);
        if (node.greedy && node.greedy.name !== param[1]) throw new RouteConfigError(`conflicting greedy parameters at ${path}`);
        if (node.greedy) mergeMethods(node.greedy.resource, resource);
        else node.greedy = { name: param[1], resource };
        this.resources.push(resource);
        return;
      }
      if (param) {
        if (node.param && node.param.name !== param[1]) {
          throw new RouteConfigError(`sibling path parameters must share a name: {${node.param.name}} vs {${param[1]}} in ${path}`);
        }
        if (!node.param) node.param = { name: param[1], node: newNode() };
        node = node.param.node;
      } else {
        let next = node.literal.get(seg);
        if (!next) {
          next = newNode();
          node.literal.set(seg, next);
        }
        node = next;
      }
    }
    if (node.resource) mergeMethods(node.resource, resource);
    else node.resource = resource;
    this.resources.push(resource);
  }

  /** Matches a request path (already without the stage) and method. */
  match(method: string, path: string): RouteMatch {
    const segs = splitPath(path);
    const names: string[] = [];
    const values: string[] = [];
    const resource = walk(this.root, segs, 0, names, values);
    if (!resource) return { kind: 'noRoute' };
    const m = resource.methods.get(method) ?? resource.methods.get('ANY');
    if (!m) return { kind: 'noMethod', resource };
    let pathParams: Record<string, string> | null = null;
    if (names.length) {
      pathParams = {};
      for (let i = 0; i < names.length; i++) pathParams[names[i]] = values[i];
    }
    return { kind: 'ok', resource, method: m, pathParams };
  }
}

function mergeMethods(into: CompiledResource, from: CompiledResource): void {
  for (const [k, v] of from.methods) into.methods.set(k, v);
}

function walk(node: Node, segs: string[], i: number, names: string[], values: string[]): CompiledResource | undefined {
  if (i === segs.length) {
    if (node.resource) return node.resource;
    return undefined;
  }
  const seg = segs[i];
  const lit = node.literal.get(seg);
  if (lit) {
    const r = walk(lit, segs, i + 1, names, values);
    if (r) return r;
  }
  if (node.param && seg !== '') {
    names.push(node.param.name);
    values.push(safeDecode(seg));
    const r = walk(node.param.node, segs, i + 1, names, values);
    if (r) return r;
    names.pop();
    values.pop();
  }
  if (node.greedy) {
    names.push(node.greedy.name);
    values.push(safeDecode(segs.slice(i).join('/')));
    return node.greedy.resource;
  }
  return undefined;
}
