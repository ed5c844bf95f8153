/** ARNs of EventBridge resources, and resolution of "name or ARN" parameters. */

export interface Scope {
  region: string;
  accountId: string;
}

const base = (s: Scope) => `arn:aws:events:${s.region}:${s.accountId}`;

export const busArn = (s: Scope, name: string) => `${base(s)}:event-bus/${name}`;
export const ruleArn = (s: Scope, bus: string, name: string) => (bus === 'default' ? `${base(s)}:rule/${name}` : `${base(s)}:rule/${bus}/${name}`);
export const archiveArn = (s: Scope, name: string) => `${base(s)}:archive/${name}`;
export const replayArn = (s: Scope, name: string) => `${base(s)}:replay/${name}`;

/**
 * The bus name in an `EventBusName` parameter, which may be a name or a bus ARN. An ARN of another
 * account or region names a bus this emulator does not have: its full text is returned so that
 * the lookup fails with that name.
 */
export function busNameOf(s: Scope, nameOrArn: string | undefined): string {
  if (nameOrArn === undefined || nameOrArn === '') return 'default';
  if (!nameOrArn.startsWith('arn:')) return nameOrArn;
  const m = /^arn:aws[\w-]*:events:([^:]*):([^:]*):event-bus\/(.+)$/.exec(nameOrArn);
  if (!m || m[1] !== s.region || m[2] !== s.accountId) return nameOrArn;
  return m[3];
}

/** The resource name at the end of an archive or replay ARN ("…:archive/NAME"). */
export function nameInArn(arn: string, kind: 'archive' | 'replay' | 'event-bus'): string | null {
  const m = new RegExp(`^arn:aws[\\w-]*:events:[^:]*:[^:]*:${kind}/(.+)$`).exec(arn);
  return m ? m[1] : null;
}

/** The service of a target ARN ("lambda", "states", "sqs", "events", ...). */
export function arnService(arn: string): string | null {
  const parts = arn.split(':');
  return parts.length >= 6 && parts[0] === 'arn' ? parts[2] : null;
}
