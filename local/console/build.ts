/**
 * Builds the console (`console/src/main.ts`) into one minified ES module with esbuild, in memory:
 * the local cloud builds it once, on the first request for it (about 100 ms), and serves it from
 * memory. The bench measures the same bytes gzipped.
 */
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export interface ConsoleBundle {
  js: Buffer;
  gzipped: Buffer;
}

export async function buildConsole(projectDir: string): Promise<ConsoleBundle> {
  const out = await build({
    entryPoints: [path.join(projectDir, 'console', 'src', 'main.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const js = Buffer.from(out.outputFiles[0]!.contents);
  return { js, gzipped: gzipSync(js, { level: 9 }) };
}
