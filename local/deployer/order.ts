/**
 * The order in which CloudFormation creates a stack's resources: a resource after every resource
 * it references (Ref, Fn::GetAtt, Fn::Sub's ${...}) or names in DependsOn; otherwise template order.
 */
import type { Template } from './cloud-assembly';

/** Logical ids of the stack's resources that `value` refers to. */
export function references(value: unknown, resources: ReadonlySet<string>, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) references(v, resources, into);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Ref' && typeof v === 'string' && resources.has(v)) into.add(v);
      else if (k === 'Fn::GetAtt') {
        const id = Array.isArray(v) ? v[0] : typeof v === 'string' ? v.split('.')[0] : undefined;
        if (typeof id === 'string' && resources.has(id)) into.add(id);
        references(v, resources, into);
      } else if (k === 'Fn::Sub') {
        const template = Array.isArray(v) ? v[0] : v;
        if (typeof template === 'string') {
          for (const m of template.matchAll(/\$\{([^!}][^}]*)\}/g)) {
            const id = m[1]!.split('.')[0]!;
            if (resources.has(id)) into.add(id);
          }
        }
        if (Array.isArray(v)) references(v[1], resources, into);
      } else references(v, resources, into);
    }
  }
  return into;
}

/** The stack's logical ids, each after everything it depends on. Throws on a cycle. */
export function creationOrder(template: Template): string[] {
  const ids = Object.keys(template.Resources);
  const known = new Set(ids);
  const deps = new Map<string, Set<string>>();
  for (const id of ids) {
    const r = template.Resources[id]!;
    const d = references(r.Properties ?? {}, known);
    for (const on of [r.DependsOn ?? []].flat()) if (known.has(on)) d.add(on);
    d.delete(id);
    deps.set(id, d);
  }
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]) => {
    const s = state.get(id);
    if (s === 'done') return;
    if (s === 'visiting') throw new Error(`circular dependency between resources: ${[...path, id].join(' -> ')}`);
    state.set(id, 'visiting');
    for (const d of deps.get(id)!) visit(d, [...path, id]);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of ids) visit(id, []);
  return order;
}
