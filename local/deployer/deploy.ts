/**
 * Deploys a synthesized cloud assembly onto the local services, the way CloudFormation deploys
 * it: stack by stack in dependency order, each stack's resources after the resources they
 * reference, every intrinsic function resolved against the physical ids and attributes of what
 * was created before. What a type means locally is its resource module's business (registry.ts);
 * a type without one, or whose local service is not running, is listed as not emulated.
 */
import type { StackArtifact } from './cloud-assembly';
import { IntrinsicError, resolve, type ResolveScope } from './intrinsics';
import { creationOrder } from './order';
import { ResourceRegistry } from './registry';
import type { DeployContext, DeploymentOutputs, LocalServices, ResourceIdentity } from './types';

export interface DeployOptions {
  region: string;
  accountId: string;
  services: LocalServices;
  log: (line: string) => void;
  registry?: ResourceRegistry;
}

export interface DeployedResource {
  stackName: string;
  logicalId: string;
  type: string;
  ref: string;
  properties: Record<string, unknown>;
}

export interface Deployment extends DeploymentOutputs {
  /** resource counts by type (or family label), by what the local cloud did with them */
  emulated: Map<string, number>;
  accepted: Map<string, number>;
  notEmulated: Map<string, number>;
  exports: Map<string, unknown>;
  /** every resource with its resolved properties (none for inert ones) */
  resources: DeployedResource[];
}

type Resolved = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function deploy(stacks: StackArtifact[], opts: DeployOptions): Promise<Deployment> {
  const registry = opts.registry ?? new ResourceRegistry();
  const out: Deployment = {
    tables: [],
    functions: [],
    apis: [],
    mappings: [],
    kafkaClusters: new Map(),
    emulated: new Map(),
    accepted: new Map(),
    notEmulated: new Map(),
    exports: new Map(),
    resources: [],
  };
  const shared = new Map<string, unknown>();
  const ctx: DeployContext = {
    services: opts.services,
    outputs: out,
    log: opts.log,
    state: <T>(key: string, create: () => T) => {
      if (!shared.has(key)) shared.set(key, create());
      return shared.get(key) as T;
    },
  };
  for (const stack of stacks) await deployStack(stack, registry, opts, ctx, out);
  const emulated = out.resources.filter((r) => registry.classify(r.type, opts.services) === 'emulated');
  for (const m of new Set(emulated.map((r) => registry.moduleFor(r.type)!))) await m.finalize?.(ctx);
  return out;
}

async function deployStack(stack: StackArtifact, registry: ResourceRegistry, opts: DeployOptions, ctx: DeployContext, out: Deployment): Promise<void> {
  const resources = stack.template.Resources;
  const identity = (id: string): ResourceIdentity => ({
    stackName: stack.stackName,
    region: opts.region,
    accountId: opts.accountId,
    logicalId: id,
    type: resources[id]!.Type,
    rawProperties: resources[id]!.Properties ?? {},
  });
  const refs = new Map<string, string>();
  for (const id of Object.keys(resources)) {
    const r = identity(id);
    refs.set(id, registry.ref(r));
  }
  const created = new Map<string, string>(); // "id.Attr" -> value known only after creation
  const conditions = new Map<string, boolean>();

  const scope: ResolveScope = {
    stackName: stack.stackName,
    region: opts.region,
    accountId: opts.accountId,
    ref: (id) => {
      if (refs.has(id)) return refs.get(id);
      const param = stack.template.Parameters?.[id];
      if (param) return param.Default;
      throw new IntrinsicError(`Ref to unknown resource ${id} in ${stack.stackName}`);
    },
    getAtt: (id, attr) => {
      const known = created.get(`${id}.${attr}`);
      if (known !== undefined) return known;
      if (!resources[id]) throw new IntrinsicError(`Fn::GetAtt of unknown resource ${id} in ${stack.stackName}`);
      return registry.attribute({ ...identity(id), ref: refs.get(id)! }, attr);
    },
    importValue: (name) => {
      if (!out.exports.has(name)) throw new IntrinsicError(`Fn::ImportValue: no export named ${name}`);
      return out.exports.get(name);
    },
    condition: (name) => {
      if (!conditions.has(name)) {
        const expr = stack.template.Conditions?.[name];
        if (expr === undefined) throw new IntrinsicError(`unknown condition ${name}`);
        conditions.set(name, Boolean(resolve(expr, scope)));
      }
      return conditions.get(name)!;
    },
  };

  for (const id of creationOrder(stack.template)) {
    const raw = resources[id]!;
    if (raw.Condition && !scope.condition(raw.Condition)) continue;
    const kind = registry.classify(raw.Type, opts.services);
    const label = registry.label(raw.Type);
    const tally = kind === 'emulated' ? out.emulated : kind === 'inert' ? out.accepted : out.notEmulated;
    tally.set(label, (tally.get(label) ?? 0) + 1);
    const ref = refs.get(id)!;
    if (kind === 'inert') {
      out.resources.push({ stackName: stack.stackName, logicalId: id, type: raw.Type, ref, properties: {} });
      continue;
    }
    const properties = resolve(raw.Properties ?? {}, scope) as Resolved;
    const record: DeployedResource = { stackName: stack.stackName, logicalId: id, type: raw.Type, ref, properties };
    out.resources.push(record);
    if (kind !== 'emulated') continue;
    const module = registry.moduleFor(raw.Type)!;
    try {
      const attributes = await module.deploy?.({ ...identity(id), ref, properties, assets: stack.assets }, ctx);
      for (const [attr, value] of Object.entries(attributes ?? {})) {
        if (attr === 'Ref') refs.set(id, (record.ref = value));
        else created.set(`${id}.${attr}`, value);
      }
    } catch (err) {
      throw new Error(`deploying ${raw.Type} ${id} of ${stack.stackName}: ${(err as Error).message}`, { cause: err });
    }
  }
  for (const output of Object.values(stack.template.Outputs ?? {})) {
    if (output.Export) out.exports.set(String(resolve(output.Export.Name, scope)), resolve(output.Value, scope));
  }
}
