/**
 * AWS::Lambda::Function on the local Lambda runtime: the bundled asset from cdk.out (or inline
 * ZipFile code), the template's environment with the local endpoints on top, its handler,
 * timeout, memory size and reserved concurrency.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FunctionSpec } from '../../lambda';
import { arn, nameOr } from '../physical-ids';
import type { ResourceModule } from '../types';

export const lambdaFunction: ResourceModule = {
  types: ['AWS::Lambda::Function'],
  effect: 'emulated',
  needs: 'lambda',
  ref: (r) => nameOr(r, 'FunctionName').slice(0, 64),
  attribute: (r, name) => (name === 'Arn' ? arn(r, 'lambda', `function:${r.ref}`) : undefined),
  async deploy(r, ctx) {
    const lambda = ctx.services.lambda!;
    const p = r.properties;
    let codeDir: string | undefined;
    if (typeof p.Code?.S3Key === 'string') codeDir = r.assets.get(p.Code.S3Key.replace(/\.zip$/, ''));
    if (!codeDir && typeof p.Code?.ZipFile === 'string') {
      codeDir = path.join(lambda.codeDir, r.ref);
      mkdirSync(codeDir, { recursive: true });
      writeFileSync(path.join(codeDir, 'index.js'), p.Code.ZipFile);
    }
    if (!codeDir) throw new Error(`function ${r.logicalId} in ${r.stackName}: no local code for ${JSON.stringify(p.Code)}`);
    const variables: Record<string, string> = {};
    for (const [k, v] of Object.entries((p.Environment?.Variables ?? {}) as Record<string, unknown>)) variables[k] = String(v);
    const spec: FunctionSpec = {
      name: r.ref,
      arn: arn(r, 'lambda', `function:${r.ref}`),
      codeDir,
      handler: p.Handler ?? 'index.handler',
      environment: { ...variables, ...lambda.environment },
      timeoutSeconds: p.Timeout ?? 3,
      memoryMb: p.MemorySize ?? 128,
      reservedConcurrency: p.ReservedConcurrentExecutions,
    };
    lambda.register(spec);
    ctx.outputs.functions.push(spec);
  },
};
