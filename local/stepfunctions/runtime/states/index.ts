/** One handler per state type, keyed by the ASL `Type`; `catch` shapes a caught error's output. */
import type { Catcher, StateDef } from '../../asl/types';
import type { StatesError } from '../errors';
import type { StateContext, StateResult } from '../execution';
import { caughtOutput } from '../io';
import { runChoice } from './choice';
import { runFail } from './fail';
import { runMap } from './map';
import { runParallel } from './parallel';
import { runPass } from './pass';
import { runSucceed } from './succeed';
import { runTask } from './task';
import { runWait } from './wait';

type Handler = (ctx: StateContext) => Promise<StateResult>;

export const STATE_HANDLERS: Record<StateDef['Type'], Handler> & { catch(ctx: StateContext, c: Catcher, e: StatesError): Promise<StateResult> } = {
  Pass: runPass,
  Task: runTask,
  Choice: runChoice,
  Wait: runWait,
  Succeed: runSucceed,
  Fail: runFail,
  Parallel: runParallel,
  Map: runMap,
  catch: caughtOutput,
};
