/** The live progress line on stderr: rewritten in place on a terminal, a line every 5 s otherwise (CI logs). */
import type { LoadProgress } from './runner';

export function progressLine(p: LoadProgress): string {
  const c = p.byClass;
  const errors = Object.entries(c)
    .filter(([k]) => !/^\dxx$/.test(k))
    .reduce((a, [, n]) => a + n, 0);
  return (
    `[${(p.elapsedMs / 1000).toFixed(0).padStart(4)}s/${(p.durationMs / 1000).toFixed(0)}s] sent ${p.sent} done ${p.done} in flight ${p.inFlight}` +
    ` | 2xx ${c['2xx'] ?? 0} 4xx ${c['4xx'] ?? 0} 5xx ${c['5xx'] ?? 0} errors ${errors} | p95 (5 s) ${p.recentP95.toFixed(0)} ms` +
    (p.note ? ` | ${p.note}` : '')
  );
}

export function stderrProgress(stream: NodeJS.WriteStream = process.stderr): { update(p: LoadProgress): void; done(): void } {
  let last = 0;
  let drawn = false;
  return {
    update(p) {
      const line = progressLine(p);
      if (stream.isTTY) {
        stream.write(`\r${line.slice(0, (stream.columns ?? 160) - 1).padEnd(Math.min(line.length, (stream.columns ?? 160) - 1))}\x1b[K`);
        drawn = true;
      } else if (Date.now() - last >= 5000) {
        stream.write(line + '\n');
        last = Date.now();
      }
    },
    done() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
