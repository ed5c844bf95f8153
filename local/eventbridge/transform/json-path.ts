/**
 * The JSON path subset EventBridge evaluates in InputPath and InputPathsMap: `$`, dot notation
 * (names of letters, digits, `-`, `_`, `/`, `@`, `:`), array indices `[0]` and the wildcards `.*`
 * and `[*]`. A wildcard collects every match into an array.
 *
 *   path    = "$" *( "." name / "." "*" / "[" index "]" / "[" "*" "]" )
 */

export type PathStep = { kind: 'name'; name: string } | { kind: 'index'; index: number } | { kind: 'all' };

export class JsonPathError extends Error {}

export function parseJsonPath(path: string): PathStep[] {
  if (!path.startsWith('$')) throw new JsonPathError(`not a JSON path: ${path}`);
  const steps: PathStep[] = [];
  let i = 1;
  while (i < path.length) {
    if (path[i] === '.') {
      i++;
      if (path[i] === '*') {
        steps.push({ kind: 'all' });
        i++;
        continue;
      }
      const m = /^[^.[\]]+/.exec(path.slice(i));
      if (!m) throw new JsonPathError(`not a JSON path: ${path}`);
      steps.push({ kind: 'name', name: m[0] });
      i += m[0].length;
    } else if (path[i] === '[') {
      const m = /^\[(\*|[0-9]+)\]/.exec(path.slice(i));
      if (!m) throw new JsonPathError(`not a JSON path: ${path}`);
      steps.push(m[1] === '*' ? { kind: 'all' } : { kind: 'index', index: Number(m[1]) });
      i += m[0].length;
    } else throw new JsonPathError(`not a JSON path: ${path}`);
  }
  return steps;
}

/** The value at `path` in `doc`: `{ found: false }` when nothing matches. */
export function evaluateJsonPath(doc: unknown, path: string | PathStep[]): { found: boolean; value?: unknown } {
  const steps = typeof path === 'string' ? parseJsonPath(path) : path;
  let current: unknown[] = [doc];
  let multi = false;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const node of current) {
      if (step.kind === 'name') {
        if (node !== null && typeof node === 'object' && !Array.isArray(node) && Object.hasOwn(node, step.name)) {
          next.push((node as Record<string, unknown>)[step.name]);
        }
      } else if (step.kind === 'index') {
        if (Array.isArray(node) && step.index < node.length) next.push(node[step.index]);
      } else {
        multi = true;
        if (Array.isArray(node)) next.push(...node);
        else if (node !== null && typeof node === 'object') next.push(...Object.values(node));
      }
    }
    current = next;
  }
  if (multi) return current.length ? { found: true, value: current } : { found: false };
  return current.length ? { found: true, value: current[0] } : { found: false };
}
