/** Input validation with zod, shared by the HTTP and task stacks: each turns failures into its own error. */
import type { z } from 'zod';
import type { ErrorDetail } from './errors';

/** Turns zod issues into the `details` list of an error: one entry per bad field. */
export function zodDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.join('.') : undefined,
    message: issue.message,
  }));
}
