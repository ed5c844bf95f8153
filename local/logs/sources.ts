/**
 * The log groups the deployed template names, and the files in `<data>/logs/` they are read from:
 * a function's `LoggingConfig.LogGroup` (else `/aws/lambda/<function>`) over `<function>.log`; a
 * state machine's logging destination (`LoggingConfiguration.Destinations[0]`, a log group ARN)
 * over `<state machine>.log`, where the local Step Functions writes its execution logs.
 */
import type { Deployment } from '../deployer/deploy';
import type { LogSource } from './index';

export function logSources(deployment: Pick<Deployment, 'resources'> | undefined): LogSource[] {
  const out: LogSource[] = [];
  for (const r of deployment?.resources ?? []) {
    const p = r.properties as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (r.type === 'AWS::Lambda::Function') {
      const group = typeof p.LoggingConfig?.LogGroup === 'string' ? (p.LoggingConfig.LogGroup as string) : `/aws/lambda/${r.ref}`;
      out.push({ logGroupName: group, file: `${r.ref}.log`, kind: 'lambda' });
    } else if (r.type === 'AWS::StepFunctions::StateMachine') {
      const arn = p.LoggingConfiguration?.Destinations?.[0]?.CloudWatchLogsLogGroup?.LogGroupArn;
      const name = r.ref.split(':').pop()!;
      const group = typeof arn === 'string' ? arn.split(':log-group:')[1]?.replace(/:\*$/, '') : undefined;
      if (group) out.push({ logGroupName: group, file: `${name}.log`, kind: 'states' });
    }
  }
  return out;
}
