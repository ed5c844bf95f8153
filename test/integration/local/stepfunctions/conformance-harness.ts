/**
 * Runs the AWS-recorded conformance cases (../shared/conformance/sfn/cases, see its README) against a
 * Step Functions endpoint through @aws-sdk/client-sfn, and compares them as its run.mjs does: status,
 * output (or error and cause), and the multiset of entered states. Used by the jest test and by
 * `npm run conformance:sfn`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { CreateStateMachineCommand, DeleteStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, StartExecutionCommand, type HistoryEvent } from '@aws-sdk/client-sfn';

export interface ConformanceCase {
  name: string;
  category: string;
  jsonata?: boolean;
  definition: Record<string, unknown>;
  input?: unknown;
  expected: { status: string; output?: unknown; error?: string | null; cause?: unknown; states?: string[]; eventTypes?: string[] };
  uncertain?: string[];
}

export interface CaseResult {
  name: string;
  category: string;
  pass: boolean;
  placeholder: boolean;
  got: Record<string, unknown>;
}

export function conformanceDir(): string {
  return process.env.SFN_CONFORMANCE_DIR ?? path.resolve(__dirname, '../../../../../shared/conformance/sfn/cases');
}

export function loadCases(dir = conformanceDir()): ConformanceCase[] {
  const all: ConformanceCase[] = [];
  for (const f of fs.readdirSync(dir).sort()) {
    if (!f.endsWith('.json') || f.startsWith('_')) continue;
    all.push(...(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as ConformanceCase[]));
  }
  return all;
}

const decode = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
const norm = (v: unknown) => JSON.parse(JSON.stringify(v ?? null));
const PLACEHOLDER = /<[a-zA-Z_-]+(:\d+)?>|snf_role_arn|"(date|timestamp)"/;

function sameCause(expected: unknown, actual: unknown): boolean {
  if (expected === undefined || expected === null) return actual === undefined || actual === null || actual === '';
  if (typeof expected === 'object') {
    try {
      return isDeepStrictEqual(expected, JSON.parse(String(actual)));
    } catch {
      return false;
    }
  }
  return String(expected) === String(actual ?? '');
}

export function compare(c: ConformanceCase, got: Record<string, unknown>): { pass: boolean; placeholder: boolean } {
  const e = c.expected;
  let pass = got.status === e.status;
  if (pass && e.status === 'SUCCEEDED') {
    try {
      pass = isDeepStrictEqual(norm(decode(e.output)), norm(got.output));
    } catch {
      pass = false;
    }
  }
  if (pass && e.status === 'FAILED') pass = (got.error ?? null) === (e.error ?? null) && sameCause(e.cause, got.cause);
  if (pass && e.states && Array.isArray(got.states)) pass = isDeepStrictEqual([...e.states].sort(), [...(got.states as string[])].sort());
  const placeholder = PLACEHOLDER.test(JSON.stringify([e.output, e.cause, c.input])) || (c.uncertain ?? []).length > 0;
  return { pass, placeholder };
}

export async function runCases(client: SFNClient, cases: ConformanceCase[], opts: { concurrency?: number; timeoutMs?: number } = {}): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  let next = 0;
  let seq = 0;
  const one = async (c: ConformanceCase): Promise<Record<string, unknown>> => {
    const name = `conf-${Date.now().toString(36)}-${seq++}`;
    const input = c.input === undefined ? '{}' : typeof c.input === 'string' ? c.input : JSON.stringify(c.input);
    let smArn: string;
    try {
      smArn = (await client.send(new CreateStateMachineCommand({ name, roleArn: 'arn:aws:iam::000000000000:role/conformance', definition: JSON.stringify(c.definition) }))).stateMachineArn!;
    } catch (err) {
      return { status: 'REJECTED_DEFINITION', error: (err as Error).name, cause: (err as Error).message };
    }
    try {
      const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: smArn, input }));
      const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
      for (;;) {
        const d = await client.send(new DescribeExecutionCommand({ executionArn }));
        if (d.status !== 'RUNNING') {
          const events: HistoryEvent[] = [];
          let nextToken: string | undefined;
          do {
            const h = await client.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
            events.push(...(h.events ?? []));
            nextToken = h.nextToken;
          } while (nextToken);
          const got: Record<string, unknown> = { status: d.status };
          if (d.status === 'SUCCEEDED') got.output = d.output === undefined ? undefined : JSON.parse(d.output);
          else {
            got.error = d.error;
            got.cause = d.cause;
          }
          got.states = events.filter((e) => e.type?.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails?.name);
          got.eventTypes = [...new Set(events.map((e) => e.type))];
          return got;
        }
        if (Date.now() > deadline) return { status: 'TIMEOUT_IN_HARNESS' };
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await client.send(new DeleteStateMachineCommand({ stateMachineArn: smArn })).catch(() => undefined);
    }
  };
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++];
      let got: Record<string, unknown>;
      try {
        got = await one(c);
      } catch (err) {
        got = { status: 'HARNESS_ERROR', error: (err as Error).name, cause: (err as Error).message };
      }
      results.push({ name: c.name, category: c.category, got, ...compare(c, got) });
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
  return results.sort((a, b) => a.name.localeCompare(b.name));
}
