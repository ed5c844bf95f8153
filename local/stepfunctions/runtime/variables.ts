/**
 * Workflow variables (Assign). A branch of a Parallel or an iteration of a Map sees the variables of
 * the scope around it and assigns into its own scope. Assignments are recorded in the history
 * (stateExitedEventDetails.assignedVariables, as AWS does), which is also how they are restored when an
 * execution resumes.
 */
import type { StoredEvent } from './history';

export interface VarScope {
  vars: Map<string, unknown>;
  parent?: VarScope;
}

export function newVarScope(parent?: VarScope): VarScope {
  return { vars: new Map(), parent };
}

export function lookupVar(scope: VarScope, name: string): { found: boolean; value?: unknown } {
  for (let s: VarScope | undefined = scope; s; s = s.parent) if (s.vars.has(name)) return { found: true, value: s.vars.get(name) };
  return { found: false };
}

/** All variables visible from a scope, inner ones shadowing outer ones. */
export function visibleVars(scope: VarScope): Record<string, unknown> {
  const chain: VarScope[] = [];
  for (let s: VarScope | undefined = scope; s; s = s.parent) chain.unshift(s);
  const out: Record<string, unknown> = {};
  for (const s of chain) for (const [k, v] of s.vars) out[k] = v;
  return out;
}

export function restoreAssignments(scope: VarScope, events: readonly StoredEvent[]): void {
  for (const e of events) {
    const d = e.stateExitedEventDetails as { assignedVariables?: Record<string, string> } | undefined;
    if (d?.assignedVariables) for (const [k, v] of Object.entries(d.assignedVariables)) scope.vars.set(k, JSON.parse(v));
  }
}
