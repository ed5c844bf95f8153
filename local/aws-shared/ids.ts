// Identifiers the AWS APIs hand out: request ids and message ids are UUIDs.
import { randomUUID } from 'node:crypto';

export function requestId(): string {
  return randomUUID();
}
