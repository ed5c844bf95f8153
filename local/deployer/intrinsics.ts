/**
 * Resolves CloudFormation intrinsic functions against the local deployment: Ref, Fn::GetAtt,
 * Fn::Join, Fn::Sub, Fn::ImportValue, Fn::Select, Fn::Split, Fn::If, Fn::Equals, Fn::Not,
 * Fn::And, Fn::Or, Fn::FindInMap, Fn::Base64 and the pseudo parameters.
 */
export const NO_VALUE = Symbol('AWS::NoValue');

export interface ResolveScope {
  stackName: string;
  region: string;
  accountId: string;
  ref(logicalId: string): unknown;
  getAtt(logicalId: string, attribute: string): unknown;
  importValue(name: string): unknown;
  condition(name: string): boolean;
  mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

export class IntrinsicError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntrinsicError';
  }
}

function pseudo(name: string, scope: ResolveScope): unknown {
  switch (name) {
    case 'AWS::Region':
      return scope.region;
    case 'AWS::AccountId':
      return scope.accountId;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return scope.stackName;
    case 'AWS::StackId':
      return `arn:aws:cloudformation:${scope.region}:${scope.accountId}:stack/${scope.stackName}/local`;
    case 'AWS::NoValue':
      return NO_VALUE;
    default:
      return undefined;
  }
}

function str(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new IntrinsicError(`${where} expects a string, got ${JSON.stringify(value)}`);
}

export function resolve(value: unknown, scope: ResolveScope): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, scope)).filter((v) => v !== NO_VALUE);
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    const [fn] = keys as [string];
    const arg = obj[fn];
    switch (fn) {
      case 'Ref': {
        const name = str(arg, 'Ref');
        const p = pseudo(name, scope);
        return p !== undefined ? p : scope.ref(name);
      }
      case 'Fn::GetAtt': {
        const [id, attr] = Array.isArray(arg) ? (arg as string[]) : str(arg, 'Fn::GetAtt').split(/\.(.+)/);
        return scope.getAtt(str(id, 'Fn::GetAtt'), str(resolve(attr, scope), 'Fn::GetAtt'));
      }
      case 'Fn::Join': {
        const [sep, parts] = arg as [string, unknown];
        const list = resolve(parts, scope) as unknown[];
        return list.map((p) => str(p, 'Fn::Join')).join(sep);
      }
      case 'Fn::Sub': {
        const [template, vars] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [arg as string, {}];
        const locals = resolve(vars ?? {}, scope) as Record<string, unknown>;
        return str(template, 'Fn::Sub').replace(/\$\{(!?)([^}]+)\}/g, (_m, bang: string, expr: string) => {
          if (bang) return `\${${expr}}`; // ${!Literal} stays literal
          if (expr in locals) return str(locals[expr], 'Fn::Sub');
          const p = pseudo(expr, scope);
          if (p !== undefined) return str(p, 'Fn::Sub');
          const dot = expr.indexOf('.');
          return dot > 0 ? str(scope.getAtt(expr.slice(0, dot), expr.slice(dot + 1)), 'Fn::Sub') : str(scope.ref(expr), 'Fn::Sub');
        });
      }
      case 'Fn::ImportValue':
        return scope.importValue(str(resolve(arg, scope), 'Fn::ImportValue'));
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        const items = resolve(list, scope) as unknown[];
        const i = Number(resolve(index, scope));
        if (!Array.isArray(items) || i < 0 || i >= items.length) throw new IntrinsicError(`Fn::Select index ${i} out of range`);
        return items[i];
      }
      case 'Fn::Split': {
        const [sep, source] = arg as [string, unknown];
        return str(resolve(source, scope), 'Fn::Split').split(sep);
      }
      case 'Fn::If': {
        const [cond, yes, no] = arg as [string, unknown, unknown];
        return resolve(scope.condition(cond) ? yes : no, scope);
      }
      case 'Fn::Equals': {
        const [a, b] = arg as [unknown, unknown];
        return JSON.stringify(resolve(a, scope)) === JSON.stringify(resolve(b, scope));
      }
      case 'Fn::Not':
        return !resolve((arg as unknown[])[0], scope);
      case 'Fn::And':
        return (arg as unknown[]).every((c) => Boolean(resolve(c, scope)));
      case 'Fn::Or':
        return (arg as unknown[]).some((c) => Boolean(resolve(c, scope)));
      case 'Condition':
        return scope.condition(str(arg, 'Condition'));
      case 'Fn::FindInMap': {
        const [map, top, second] = (arg as unknown[]).map((a) => str(resolve(a, scope), 'Fn::FindInMap'));
        const found = scope.mappings?.[map!]?.[top!]?.[second!];
        if (found === undefined) throw new IntrinsicError(`Fn::FindInMap: no ${map}.${top}.${second}`);
        return found;
      }
      case 'Fn::Base64':
        return Buffer.from(str(resolve(arg, scope), 'Fn::Base64')).toString('base64');
      case 'Fn::GetAZs':
        return ['a', 'b', 'c'].map((z) => `${scope.region}${z}`);
      default:
        break;
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const r = resolve(v, scope);
    if (r !== NO_VALUE) out[k] = r;
  }
  return out;
}
