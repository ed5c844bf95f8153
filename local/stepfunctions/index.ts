/**
 * Local AWS Step Functions: the API (AWS JSON 1.0) on the edge, an ASL interpreter with AWS's history
 * model, service integrations, and executions that survive a kill -9. See README.md.
 *
 *   const sfn = createStepFunctions({ dataDir, invokeLambda, edgeUrl, region, accountId, log, onHistoryEvent });
 *   edge services: { name: 'stepfunctions', route: sfn.route }
 *   deploy time:   sfn.deployStateMachine({ name, definition, roleArn, type, loggingConfiguration, tracingConfiguration })
 *   after deploy:  await sfn.resume()   // continues executions that were running when the process died
 *   shutdown:      sfn.close()
 */
import type http from 'node:http';
import { applyDefinitionSubstitutions, deployStateMachine, type DeployStateMachineInput } from './api/state-machines';
import { createRoute } from './api/router';
import { StepFunctionsService, type StepFunctionsOptions } from './service';

export type EdgeRoute = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean>;

export interface StepFunctions {
  /** Answers X-Amz-Target: AWSStepFunctions.* requests; resolves false for anything else. */
  route: EdgeRoute;
  /** Creates or updates a state machine from a template (idempotent). */
  deployStateMachine(input: DeployStateMachineInput): { stateMachineArn: string; created: boolean; updated: boolean };
  /** Continues the executions found running in the data folder and starts the retention clean-up. */
  resume(): Promise<void>;
  /** Stops interpreting (journals stay as they are; a new instance on the same folder resumes them). */
  close(): void;
  readonly service: StepFunctionsService;
}

export function createStepFunctions(opts: StepFunctionsOptions): StepFunctions {
  const service = new StepFunctionsService(opts);
  return {
    route: createRoute(service, service.log),
    deployStateMachine: (input) => deployStateMachine(service, input),
    resume: () => service.resume(),
    close: () => service.close(),
    service,
  };
}

export { applyDefinitionSubstitutions };
export type { DeployStateMachineInput, StepFunctionsOptions };
export type { StateMachineRef } from './service';
export type { HistoryEvent } from './runtime/history';
export type { InvokeLambda, LambdaInvokeResult } from './integrations/index';
export { systemClock, skippingClock, type Clock } from './clock';
