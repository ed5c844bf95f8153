// What every operation receives, and the input readers they share (shapes as on the JSON wire).
import { invalidParameterValue, missingParameter, serializationError } from '../errors';
import type { SqsStore } from '../store';
import type { MoveTaskRunner } from './dead-letter';

export interface SqsContext {
  store: SqsStore;
  tasks: MoveTaskRunner;
  /** aborted when the client goes away (ends a long poll early) */
  signal?: AbortSignal;
}

export type Input = Record<string, unknown>;
export type Operation = (ctx: SqsContext, input: Input) => unknown;

export function reqString(input: Input, name: string): string {
  const v = input[name];
  if (v === undefined || v === null || v === '') throw missingParameter(name);
  if (typeof v !== 'string') throw serializationError(`STRING_VALUE can not be converted to ${name}`);
  return v;
}

export function optString(input: Input, name: string): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw serializationError(`${name} must be a string`);
  return v;
}

export function optInt(input: Input, name: string, min: number, max: number, reason?: string): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw serializationError(`${name} must be an integer`);
  if (n < min || n > max)
    throw invalidParameterValue(`Value ${n} for parameter ${name} is invalid. Reason: ${reason ?? `Must be between ${min} and ${max}, if provided.`}`);
  return n;
}

export function stringMap(input: Input, name: string): Record<string, string> {
  const v = input[name];
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw serializationError(`${name} must be a map`);
  return v as Record<string, string>;
}

export function stringList(input: Input, name: string): string[] {
  const v = input[name];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw serializationError(`${name} must be a list`);
  return v as string[];
}

export function entries(input: Input): Input[] {
  const v = input.Entries;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw serializationError('Entries must be a list');
  return v as Input[];
}
