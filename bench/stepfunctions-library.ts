/**
 * aws-local-stepfunctions (the maintained in-process interpreter this project compares itself with),
 * loaded with the Promise.withResolvers it needs on Node 20, and run the way the conformance README's
 * run.mjs runs it (Wait and Retry shortened to 0 ms, Task states refused).
 */
type Lib = typeof import('aws-local-stepfunctions');

export async function loadLibrary() {
  const P = Promise as unknown as { withResolvers?: unknown };
  if (typeof P.withResolvers !== 'function') {
    P.withResolvers = function withResolvers<T>() {
      let resolve!: (v: T) => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    };
  }
  const lib: Lib = await import('aws-local-stepfunctions');
  const collect = (def: Record<string, unknown>, acc = { wait: [] as string[], retry: [] as string[], task: [] as string[] }) => {
    for (const [name, st] of Object.entries((def.States ?? {}) as Record<string, Record<string, unknown>>)) {
      if (st.Type === 'Wait') acc.wait.push(name);
      if (st.Type === 'Task') acc.task.push(name);
      if (Array.isArray(st.Retry)) acc.retry.push(name);
      for (const b of (st.Branches ?? []) as Record<string, unknown>[]) collect(b, acc);
      if (st.Iterator) collect(st.Iterator as Record<string, unknown>, acc);
      if (st.ItemProcessor) collect(st.ItemProcessor as Record<string, unknown>, acc);
    }
    return acc;
  };
  return {
    lib,
    async runCase(definition: Record<string, unknown>, input: unknown): Promise<Record<string, unknown>> {
      let sm;
      try {
        sm = new lib.StateMachine(definition as never);
      } catch (e) {
        return { status: 'REJECTED_DEFINITION', error: (e as Error).name, cause: (e as Error).message };
      }
      const { wait, retry, task } = collect(definition);
      const execution = sm.run(input as never, {
        overrides: {
          taskResourceLocalHandlers: Object.fromEntries(task.map((n) => [n, () => Promise.reject(new Error('harness: Task states are not supported'))])),
          waitTimeOverrides: Object.fromEntries(wait.map((n) => [n, 0])),
          retryIntervalOverrides: Object.fromEntries(retry.map((n) => [n, 0])),
        },
      });
      const events: Array<Record<string, unknown>> = [];
      const drained = (async () => {
        try {
          for await (const ev of execution.eventLogs) events.push(ev as unknown as Record<string, unknown>);
        } catch {
          // the log ends with the execution
        }
      })();
      // the event log does not always end with the execution (run.mjs waits for it at most 1 s too)
      const settle = () => Promise.race([drained, new Promise((r) => setTimeout(r, 50))]);
      const got: Record<string, unknown> = {};
      try {
        got.output = await execution.result;
        got.status = 'SUCCEEDED';
      } catch (e) {
        await settle();
        const fe = events.find((x) => x.type === 'ExecutionFailed') as { Error?: string; Cause?: unknown } | undefined;
        got.status = 'FAILED';
        got.error = fe?.Error ?? (e as Error).name;
        got.cause = fe?.Cause ?? (e as Error).message;
      }
      await settle();
      got.states = events.filter((x) => x.type === 'StateEntered').map((x) => (x.state as { name: string }).name);
      return got;
    },
  };
}
