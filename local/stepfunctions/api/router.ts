/**
 * The Step Functions API on the edge: one handler per operation, looked up by X-Amz-Target.
 * Operations not listed answer UnknownOperationException (activities, versions and aliases, map runs,
 * TestState).
 */
import type http from 'node:http';
import { SfnApiError } from '../errors';
import type { StepFunctionsService } from '../service';
import * as ex from './executions';
import { getExecutionHistory } from './history';
import { readBody, send, sendError } from './http';
import * as sm from './state-machines';
import * as tags from './tags';
import * as tasks from './tasks';

export const TARGET_PREFIX = 'AWSStepFunctions.';

type Op = (svc: StepFunctionsService, input: Record<string, unknown>, traceHeader?: string) => unknown;

export const OPERATIONS: Record<string, Op> = {
  CreateStateMachine: sm.createStateMachine,
  DescribeStateMachine: sm.describeStateMachine,
  UpdateStateMachine: sm.updateStateMachine,
  DeleteStateMachine: sm.deleteStateMachine,
  ListStateMachines: sm.listStateMachines,
  ValidateStateMachineDefinition: sm.validateStateMachineDefinition,
  DescribeStateMachineForExecution: sm.describeStateMachineForExecution,
  StartExecution: ex.startExecution,
  StartSyncExecution: ex.startSyncExecution,
  DescribeExecution: ex.describeExecution,
  StopExecution: ex.stopExecution,
  ListExecutions: ex.listExecutions,
  RedriveExecution: ex.redriveExecution,
  GetExecutionHistory: getExecutionHistory,
  SendTaskSuccess: tasks.sendTaskSuccess,
  SendTaskFailure: tasks.sendTaskFailure,
  SendTaskHeartbeat: tasks.sendTaskHeartbeat,
  TagResource: tags.tagResource,
  UntagResource: tags.untagResource,
  ListTagsForResource: tags.listTagsForResource,
};

export function createRoute(svc: StepFunctionsService, log: (m: string) => void) {
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> => {
    const target = req.headers['x-amz-target'];
    if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) return false;
    const name = target.slice(TARGET_PREFIX.length);
    try {
      const op = OPERATIONS[name];
      if (!op) throw new SfnApiError('UnknownOperationException', `The local Step Functions does not implement the operation ${name}`);
      const body = await readBody(req);
      let input: Record<string, unknown> = {};
      if (body.trim()) {
        try {
          input = JSON.parse(body) as Record<string, unknown>;
        } catch {
          throw new SfnApiError('SerializationException', 'The request body is not valid JSON');
        }
      }
      const trace = req.headers['x-amzn-trace-id'];
      const out = await op(svc, input ?? {}, typeof trace === 'string' ? trace : undefined);
      send(res, 200, out);
    } catch (e) {
      if (e instanceof SfnApiError) sendError(res, e);
      else {
        log(`stepfunctions: ${name}: ${(e as Error).stack ?? e}`);
        sendError(res, new SfnApiError('InternalFailure', 'The local Step Functions failed to process the request', 500));
      }
    }
    return true;
  };
}
