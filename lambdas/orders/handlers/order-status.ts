/**
 * GET /api/orders/{id}/status: the order, its saga's state (DescribeExecution) and each step with
 * its times, outcome and error (GetExecutionHistory), through every execution the order had.
 */
import { ServiceUnavailableError } from '../../shared/errors';
import { json, parseParams, type HttpEvent } from '../../shared/http';
import { eventStore, sagaExecutions } from '../dependencies';
import { OrderNotFoundError } from '../domain/errors';
import { readReconcilerConfig } from '../env';
import { orderPath } from '../schemas';
import { orderStatus } from '../use-cases/queries';

const store = eventStore();
const executions = sagaExecutions();
const { maxCompensations } = readReconcilerConfig();

export async function orderStatusRoute(event: HttpEvent) {
  const { id } = parseParams(event.pathParameters, orderPath, 'path');
  try {
    return json(200, await orderStatus(store, executions, id, maxCompensations));
  } catch (err) {
    if (err instanceof OrderNotFoundError) throw err;
    // the order is still readable at /api/orders/{id}; only the saga's side is out of reach
    if ((err as { $metadata?: unknown }).$metadata !== undefined || (err as Error).name === 'TimeoutError') {
      throw new ServiceUnavailableError("the saga's state cannot be read right now; retry", { cause: err });
    }
    throw err;
  }
}
