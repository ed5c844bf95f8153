/**
 * Reads the cloud assembly that `cdk synth` wrote (cdk.out): the stacks in dependency order,
 * each with its template and the local folder of every file asset (Lambda code).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface Template {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: string | string[]; Condition?: string }>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
  Conditions?: Record<string, unknown>;
  Parameters?: Record<string, { Default?: unknown; Type: string }>;
}

export interface StackArtifact {
  stackName: string;
  template: Template;
  /** asset hash (the S3 object key without .zip) -> absolute folder in cdk.out */
  assets: Map<string, string>;
}

interface Manifest {
  artifacts: Record<string, { type: string; properties?: { templateFile?: string; stackName?: string }; dependencies?: string[] }>;
}

interface AssetManifest {
  files?: Record<string, { source: { path: string; packaging?: string }; destinations: Record<string, { objectKey: string }> }>;
}

export function readCloudAssembly(outDir: string): StackArtifact[] {
  const manifest = JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8')) as Manifest;
  const stacks = Object.entries(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack');
  const byId = new Map(stacks);
  const ordered: string[] = [];
  const visit = (id: string, seen: Set<string>) => {
    if (ordered.includes(id)) return;
    if (seen.has(id)) throw new Error(`stack dependency cycle at ${id}`);
    seen.add(id);
    for (const dep of byId.get(id)?.dependencies ?? []) if (byId.has(dep)) visit(dep, seen);
    ordered.push(id);
  };
  for (const [id] of stacks) visit(id, new Set());

  return ordered.map((id) => {
    const artifact = byId.get(id)!;
    const templateFile = artifact.properties?.templateFile ?? `${id}.template.json`;
    const template = JSON.parse(readFileSync(path.join(outDir, templateFile), 'utf8')) as Template;
    const assets = new Map<string, string>();
    const assetManifestId = (artifact.dependencies ?? []).find((d) => manifest.artifacts[d]?.type === 'cdk:asset-manifest');
    const assetFile = assetManifestId
      ? (manifest.artifacts[assetManifestId]!.properties as { file: string }).file
      : `${id}.assets.json`;
    try {
      const am = JSON.parse(readFileSync(path.join(outDir, assetFile), 'utf8')) as AssetManifest;
      for (const [hash, file] of Object.entries(am.files ?? {})) {
        const key = Object.values(file.destinations)[0]?.objectKey ?? `${hash}.zip`;
        assets.set(key.replace(/\.zip$/, ''), path.join(outDir, file.source.path));
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    return { stackName: artifact.properties?.stackName ?? id, template, assets };
  });
}
