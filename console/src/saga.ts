/**
 * What the Orders page draws, as pure functions (unit-tested without a browser): a state machine's
 * states laid out in layers from its ASL definition, and an execution's history folded into what
 * happened at each state (entered, left, failed, input, output, error, time) and the path taken.
 */

export interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: Array<{ Next?: string }>;
  Catch?: Array<{ Next: string; ErrorEquals?: string[] }>;
  Comment?: string;
}
export interface Asl {
  StartAt: string;
  States: Record<string, AslState>;
}

export interface Edge {
  from: string;
  to: string;
  kind: 'next' | 'choice' | 'catch';
}

export interface Layout {
  nodes: Array<{ name: string; type: string; rank: number; col: number }>;
  edges: Edge[];
  ranks: number;
  cols: number;
}

export function edgesOf(asl: Asl): Edge[] {
  const out: Edge[] = [];
  for (const [name, st] of Object.entries(asl.States)) {
    if (st.Next) out.push({ from: name, to: st.Next, kind: 'next' });
    for (const c of st.Choices ?? []) if (c.Next) out.push({ from: name, to: c.Next, kind: 'choice' });
    if (st.Default) out.push({ from: name, to: st.Default, kind: 'next' });
    for (const c of st.Catch ?? []) out.push({ from: name, to: c.Next, kind: 'catch' });
  }
  return out.filter((e, i) => out.findIndex((x) => x.from === e.from && x.to === e.to) === i);
}

/**
 * Layers a directed graph: each node's rank is its longest distance from `start` (back edges,
 * found by a depth-first search, are ignored, so loops do not push ranks forever); within a rank a
 * node takes its first placed predecessor's column when free, so chains run straight down; nodes
 * reached by a plain `Next` (or a Choice's Default) are placed before those reached by a Choice
 * rule or a Catch, so the main flow keeps the first column.
 */
export function layered(start: string, names: string[], edges: Array<{ from: string; to: string; kind?: Edge['kind'] }>): { rank: Map<string, number>; col: Map<string, number> } {
  const out = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const e of edges) out.get(e.from)?.push(e.to);
  // depth-first order and back edges
  const back = new Set<string>();
  const state = new Map<string, 1 | 2>();
  const order: string[] = [];
  const visit = (n: string) => {
    state.set(n, 1);
    for (const m of out.get(n) ?? []) {
      if (state.get(m) === 1) back.add(`${n}\u0000${m}`);
      else if (!state.has(m)) visit(m);
    }
    state.set(n, 2);
    order.push(n);
  };
  visit(start);
  for (const n of names) if (!state.has(n)) visit(n);
  order.reverse(); // a topological order of the forward edges
  const rank = new Map<string, number>(names.map((n) => [n, 0]));
  for (const n of order) for (const m of out.get(n) ?? []) if (!back.has(`${n}\u0000${m}`)) rank.set(m, Math.max(rank.get(m)!, rank.get(n)! + 1));
  const preds = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const e of edges) if (!back.has(`${e.from}\u0000${e.to}`)) preds.get(e.to)?.push(e.from);
  const col = new Map<string, number>();
  const taken = new Map<number, Set<number>>();
  const weight = { next: 0, choice: 1, catch: 2 } as const;
  const pref = new Map<string, number>();
  for (const e of edges) pref.set(e.to, Math.min(pref.get(e.to) ?? 9, weight[e.kind ?? 'next']));
  const byRank = [...order].sort((a, b) => rank.get(a)! - rank.get(b)! || (pref.get(a) ?? 0) - (pref.get(b) ?? 0));
  for (const n of byRank) {
    const r = rank.get(n)!;
    const used = taken.get(r) ?? new Set<number>();
    taken.set(r, used);
    const wish = preds
      .get(n)!
      .map((p) => col.get(p))
      .filter((c): c is number => c !== undefined);
    let c = wish.find((w) => !used.has(w)) ?? 0;
    while (used.has(c)) c++;
    used.add(c);
    col.set(n, c);
  }
  return { rank, col };
}

export function layout(asl: Asl): Layout {
  const names = Object.keys(asl.States);
  const edges = edgesOf(asl);
  const { rank, col } = layered(asl.StartAt, names, edges);
  const nodes = names.map((name) => ({ name, type: asl.States[name]!.Type, rank: rank.get(name)!, col: col.get(name)! }));
  return { nodes, edges, ranks: Math.max(...nodes.map((n) => n.rank)) + 1, cols: Math.max(...nodes.map((n) => n.col)) + 1 };
}

export interface HistoryEvent {
  id: number;
  previousEventId?: number;
  timestamp: number | string;
  type: string;
  [details: string]: unknown;
}

export interface StepRun {
  name: string;
  /** the state's type, from the event names (Task, Choice, Pass, ...) */
  type: string;
  entered: number;
  exited?: number;
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
  /** failed attempts before the last one (retries) */
  attempts: number;
  status: 'succeeded' | 'failed' | 'running';
}

export interface ExecutionPath {
  steps: StepRun[];
  /** the transitions taken, in order */
  taken: Array<{ from: string; to: string }>;
  /** the execution's own failure, if it failed */
  failure?: { error?: string; cause?: string };
}

const ts = (t: number | string) => (typeof t === 'number' ? (t < 1e12 ? t * 1000 : t) : Date.parse(t));

function detailsOf(e: HistoryEvent): Record<string, unknown> {
  for (const [k, v] of Object.entries(e)) if (k.endsWith('EventDetails') && v && typeof v === 'object') return v as Record<string, unknown>;
  return {};
}

/** Folds a history (GetExecutionHistory's events, oldest first) into the steps run and the path. */
export function followHistory(events: HistoryEvent[]): ExecutionPath {
  const steps: StepRun[] = [];
  const taken: Array<{ from: string; to: string }> = [];
  let current: StepRun | undefined;
  let failure: ExecutionPath['failure'];
  for (const e of events) {
    const d = detailsOf(e);
    if (e.type.endsWith('StateEntered')) {
      const name = String(d.name);
      if (steps.length) taken.push({ from: steps[steps.length - 1]!.name, to: name });
      current = { name, type: e.type.replace(/StateEntered$/, ''), entered: ts(e.timestamp), input: d.input as string | undefined, attempts: 0, status: 'running' };
      steps.push(current);
    } else if (e.type.endsWith('StateExited')) {
      if (current && current.name === d.name) {
        current.exited = ts(e.timestamp);
        current.output = d.output as string | undefined;
        if (current.status === 'running') current.status = 'succeeded';
      }
    } else if (/(Failed|TimedOut)$/.test(e.type) && !e.type.startsWith('Execution')) {
      if (current) {
        if (current.error !== undefined) current.attempts++;
        current.error = (d.error as string | undefined) ?? (e.type.endsWith('TimedOut') ? 'States.Timeout' : e.type);
        current.cause = d.cause as string | undefined;
        current.status = 'failed';
      }
    } else if (/(Succeeded)$/.test(e.type) && !e.type.startsWith('Execution')) {
      if (current && current.status === 'failed') {
        current.attempts++; // a retry that succeeded
        current.status = 'running';
        current.error = current.error && `${current.error} (retried)`;
      }
    } else if (e.type === 'ExecutionFailed' || e.type === 'ExecutionTimedOut' || e.type === 'ExecutionAborted') {
      failure = { error: (d.error as string | undefined) ?? e.type, cause: d.cause as string | undefined };
      if (current && current.status === 'running') current.status = 'failed';
    }
  }
  // a step whose error was retried to success is not failed; a step left by a Catch keeps `failed`
  for (const s of steps) if (s.status === 'running' && s.exited !== undefined) s.status = 'succeeded';
  return { steps, taken, failure };
}

/** The compensating states of the saga: everything reached only from a Catch (the failure branch). */
export function compensationStates(asl: Asl): Set<string> {
  const out = new Set<string>();
  const queue = Object.values(asl.States).flatMap((s) => (s.Catch ?? []).map((c) => c.Next));
  while (queue.length) {
    const n = queue.shift()!;
    if (out.has(n)) continue;
    const st = asl.States[n];
    if (!st || st.Type === 'Succeed' || st.Type === 'Fail') continue;
    out.add(n);
    if (st.Next) queue.push(st.Next);
    if (st.Default) queue.push(st.Default);
    for (const c of st.Choices ?? []) if (c.Next) queue.push(c.Next);
  }
  return out;
}


/** X-Ray's filter expression for the Traces page's form: the order id annotation, a service, errors. */
const q = (v: string) => `"${v.replace(/["\\]/g, '')}"`;

export function filterExpression(p: { order?: string; service?: string; errors?: boolean }): string | undefined {
  const parts: string[] = [];
  if (p.order) parts.push(`annotation.order_id = ${q(p.order)}`);
  if (p.service) parts.push(`service(${q(p.service)})`);
  if (p.errors) parts.push('(error OR fault)');
  return parts.length ? parts.join(' AND ') : undefined;
}

