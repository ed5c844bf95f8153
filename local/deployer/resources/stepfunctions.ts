/**
 * AWS::StepFunctions::StateMachine on the local Step Functions: the definition inline
 * (DefinitionString, Definition) or as the file asset `DefinitionBody.fromFile` ships
 * (DefinitionS3Location), with DefinitionSubstitutions applied as CloudFormation applies them.
 */
import { readFileSync } from 'node:fs';
import { applyDefinitionSubstitutions } from '../../stepfunctions';
import { arn, nameOr } from '../physical-ids';
import type { ResourceModule, ResourceToDeploy } from '../types';

function definitionOf(r: ResourceToDeploy): string {
  const p = r.properties;
  let text: string;
  if (typeof p.DefinitionString === 'string') text = p.DefinitionString;
  else if (p.Definition && typeof p.Definition === 'object') text = JSON.stringify(p.Definition);
  else if (p.DefinitionS3Location?.Key) {
    const key = String(p.DefinitionS3Location.Key);
    const file = r.assets.get(key.replace(/\.zip$/, '')) ?? r.assets.get(key);
    if (!file) throw new Error(`state machine ${r.logicalId}: no local file for the definition asset ${key}`);
    text = readFileSync(file, 'utf8');
  } else throw new Error(`state machine ${r.logicalId}: no definition (DefinitionString, Definition or DefinitionS3Location)`);
  const substitutions = (p.DefinitionSubstitutions ?? {}) as Record<string, unknown>;
  return Object.keys(substitutions).length ? applyDefinitionSubstitutions(text, substitutions as Record<string, string>) : text;
}

export const stateMachine: ResourceModule = {
  types: ['AWS::StepFunctions::StateMachine'],
  effect: 'emulated',
  needs: 'stepfunctions',
  // the Ref of a state machine is its ARN
  ref: (r) => arn(r, 'states', `stateMachine:${nameOr(r, 'StateMachineName').slice(0, 80)}`),
  attribute: (r, name) => (name === 'Arn' ? r.ref : name === 'Name' ? r.ref.split(':').pop() : undefined),
  async deploy(r, ctx) {
    const p = r.properties;
    const name = r.ref.split(':').pop()!;
    const { stateMachineArn } = ctx.services.stepfunctions!.deployStateMachine({
      name,
      arn: r.ref,
      definition: definitionOf(r),
      roleArn: String(p.RoleArn ?? ''),
      type: p.StateMachineType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
      loggingConfiguration: p.LoggingConfiguration && {
        level: p.LoggingConfiguration.Level,
        includeExecutionData: Boolean(p.LoggingConfiguration.IncludeExecutionData),
        destinations: ((p.LoggingConfiguration.Destinations ?? []) as Array<{ CloudWatchLogsLogGroup?: { LogGroupArn?: string } }>).map((d) => ({
          cloudWatchLogsLogGroup: { logGroupArn: d.CloudWatchLogsLogGroup?.LogGroupArn },
        })),
      },
      tracingConfiguration: p.TracingConfiguration ? { enabled: Boolean(p.TracingConfiguration.Enabled) } : undefined,
      tags: Object.fromEntries(((p.Tags ?? []) as Array<{ Key: string; Value: string }>).map((t) => [t.Key, t.Value])),
    });
    return { Arn: stateMachineArn, Name: name };
  },
};
