/**
 * Helpers for the names and ids CloudFormation would give resources, made deterministic so that
 * a restart of the local cloud finds the same tables, keys and queues again. Each resource
 * module (resources/*.ts) says what its own Ref and Fn::GetAtt answer with these.
 */
import { createHash } from 'node:crypto';
import type { ResourceIdentity, ResourceScope } from './types';

export function shortId(seed: string, length = 10): string {
  return createHash('sha256').update(seed).digest('hex').replace(/[^a-z0-9]/g, '').slice(0, length);
}

/** `arn:aws:<service>:<region>:<account>:<resource>` */
export function arn(s: ResourceScope, service: string, resource: string): string {
  return `arn:aws:${service}:${s.region}:${s.accountId}:${resource}`;
}

/** CloudFormation's generated name for an unnamed resource (deterministic here). */
export function generatedName(r: Pick<ResourceIdentity, 'stackName' | 'logicalId'>): string {
  return `${r.stackName}-${r.logicalId}`;
}

/** The template's literal name property, else the generated name. */
export function nameOr(r: ResourceIdentity, property: string, fallback = generatedName(r)): string {
  const v = r.rawProperties[property];
  return typeof v === 'string' ? v : fallback;
}
