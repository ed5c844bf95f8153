/** Runs code under chosen environment variables, and puts the environment back afterwards. */

/**
 * Runs `read` with each variable of `vars` set (or unset, for undefined) and each of `cleared`
 * unset; restores every one of them after, whatever `read` did.
 */
export function withEnvironment<T>(vars: Record<string, string | undefined>, read: () => T, cleared: readonly string[] = []): T {
  const names = [...new Set([...cleared, ...Object.keys(vars)])];
  const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
  for (const n of names) delete process.env[n];
  for (const [n, v] of Object.entries(vars)) if (v !== undefined) process.env[n] = v;
  try {
    return read();
  } finally {
    for (const [n, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[n];
      else process.env[n] = v;
    }
  }
}
