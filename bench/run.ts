/**
 * Runs the benchmarks and writes one JSON file per benchmark to bench/results/.
 * Usage: npm run bench [-- name ...]   (names are the files bench/<name>.bench.ts; none = all)
 * Each bench module's default export is `async (opts) => results`; results are plain JSON.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';

export interface BenchOptions {
  /** CI and quick runs use smaller workloads; the figures in closing notes come from full runs. */
  quick: boolean;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
  const dir = __dirname;
  const all = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.replace(/\.bench\.ts$/, ''))
    .sort();
  const names = wanted.length ? wanted : all;
  const outDir = join(dir, 'results');
  mkdirSync(outDir, { recursive: true });
  for (const name of names) {
    if (!all.includes(name)) throw new Error(`no benchmark named ${name}; have: ${all.join(', ')}`);
    process.stdout.write(`bench ${name} ...\n`);
    const mod = (await import(join(dir, `${name}.bench.ts`))) as {
      default: (o: BenchOptions) => Promise<Record<string, unknown>>;
    };
    const started = new Date().toISOString();
    const results = await mod.default({ quick });
    const doc = {
      benchmark: name,
      started,
      finished: new Date().toISOString(),
      quick,
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      results,
    };
    const file = join(outDir, `${name}.json`);
    writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
    process.stdout.write(`${JSON.stringify(results, null, 2)}\nwritten ${file}\n`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
