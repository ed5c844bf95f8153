/**
 * `dependencies` is exactly what the running platform needs, so that `npm audit --omit=dev`
 * looks at what runs and at nothing else: the packages the functions' bundles import
 * (lambdas/**), those `npm start` loads (local/cli.ts and everything it imports, the CDK app
 * that local/synth.ts synthesizes through bin/app.ts), and the tools `npm start` runs (tsx in
 * scripts/start.sh, the cdk CLI in local/synth.ts, esbuild for NodejsFunction bundling).
 * Found with esbuild's metafile (static imports; type-only imports are not run).
 */
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(__dirname, '..', '..');
const TOOLS_RUN_BY_NPM_START = ['tsx', 'aws-cdk', 'esbuild'];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

const packageOf = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);

test('dependencies are exactly the packages the running platform imports or runs; the rest are devDependencies', async () => {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [...sources(path.join(root, 'lambdas')), path.join(root, 'local/cli.ts'), path.join(root, 'bin/app.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    metafile: true,
    write: false,
    outdir: path.join(root, '.deps-scan-unused'),
    logLevel: 'silent',
  });
  const used = new Set(TOOLS_RUN_BY_NPM_START);
  for (const input of Object.values(result.metafile.inputs)) {
    for (const i of input.imports) {
      if (!i.external || i.path.startsWith('.') || i.path.startsWith('node:')) continue;
      const pkg = packageOf(i.path);
      if (!builtinModules.includes(pkg)) used.add(pkg);
    }
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  expect(Object.keys(manifest.dependencies).sort()).toEqual([...used].sort());
}, 60_000);
