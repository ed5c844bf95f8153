import { z } from 'zod';
import { ConflictError, ValidationError } from '../../../../lambdas/shared/errors';
import { parseInput, taskHandler } from '../../../../lambdas/shared/task';
import { capturingLogs, lambdaContext } from '../../../support/lambda';

const input = z.object({ order_id: z.string().min(1) });

describe('taskHandler', () => {
  it('validates input: a bad one fails with a ValidationError naming the field', () => {
    expect(parseInput({ order_id: 'o1' }, input)).toEqual({ order_id: 'o1' });
    expect(() => parseInput({}, input)).toThrow(ValidationError);
    try {
      parseInput({ order_id: '' }, input);
    } catch (err) {
      expect((err as ValidationError).details).toEqual([{ field: 'order_id', message: expect.any(String) }]);
    }
  });

  it('fails the invocation with the error itself, so a state machine catches it by name; a refusal is logged as info', async () => {
    class InsufficientStockError extends ConflictError {}
    const task = taskHandler(async (i: { correlation_id: string }) => {
      throw new InsufficientStockError(`not enough stock for ${i.correlation_id}`);
    });
    const run = capturingLogs(() => task({ correlation_id: 'saga-1' }, lambdaContext()));
    await expect(run).rejects.toMatchObject({ name: 'InsufficientStockError', statusCode: 409 });
  });

  it('logs a refusal as info and an unexpected failure as an error, with the correlation id of the input', async () => {
    const logsOf = async (err: Error) => {
      const task = taskHandler(async () => {
        throw err;
      });
      let lines: Awaited<ReturnType<typeof capturingLogs>>['logs'] = [];
      await capturingLogs(async () => {
        await task({ correlation_id: 'saga-2' }, lambdaContext()).catch(() => undefined);
      }).then((r) => (lines = r.logs));
      return lines;
    };
    expect((await logsOf(new ConflictError('reservation is released'))).find((l) => l.message === 'task refused')).toMatchObject({
      level: 'INFO',
      correlation_id: 'saga-2',
      reason: 'reservation is released',
    });
    expect((await logsOf(new Error('table gone'))).find((l) => l.message === 'task failed')).toMatchObject({ level: 'ERROR', correlation_id: 'saga-2', error: { message: 'table gone' } });
  });
});
