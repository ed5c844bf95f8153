/**
 * What every operation shares: the store, the account's scope, the clock, and the rules for
 * finding a secret (by name, full ARN or partial ARN), naming one (the ARN's random six-character
 * suffix) and moving staging labels between versions.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { markedForDeletion, notFound, SecretsManagerError, validation } from './errors';
import type { Input } from './protocol';
import type { Secret, SecretStore, SecretVersion } from './store';

export const CURRENT = 'AWSCURRENT';
export const PREVIOUS = 'AWSPREVIOUS';
/** Versions without a staging label beyond this many are dropped, oldest first (AWS keeps ~100). */
const MAX_DEPRECATED_VERSIONS = 10;
const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** The names the service accepts: ASCII letters, digits and /_+=.@- (1 to 512 characters). */
const NAME = /^[A-Za-z0-9/_+=.@-]+$/;

export interface ServiceOptions {
  store: SecretStore;
  region: string;
  accountId: string;
  /** epoch ms */
  now: () => number;
  log: (m: string) => void;
}

export class SecretsService {
  readonly store: SecretStore;
  readonly region: string;
  readonly accountId: string;
  readonly now: () => number;
  readonly log: (m: string) => void;

  constructor(o: ServiceOptions) {
    this.store = o.store;
    this.region = o.region;
    this.accountId = o.accountId;
    this.now = o.now;
    this.log = o.log;
  }

  /** The secret's ARN: `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 letters>`. */
  newArn(name: string): string {
    const suffix = Array.from({ length: 6 }, () => SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)]).join('');
    return `${this.arnPrefix()}${name}-${suffix}`;
  }

  arnPrefix(): string {
    return `arn:aws:secretsmanager:${this.region}:${this.accountId}:secret:`;
  }

  /** Ends the deletions whose recovery window is over (done lazily, before each operation). */
  purgeExpired(): void {
    const now = this.now();
    for (const s of this.store.all()) if (s.deletionDate !== undefined && s.deletionDate <= now) this.store.remove(s.arn);
  }

  /**
   * The secret a SecretId names: a full ARN, an ARN without its random suffix (a partial ARN), or
   * a name. Throws ResourceNotFoundException otherwise.
   */
  find(id: string): Secret {
    const found = this.lookup(id);
    if (!found) throw notFound();
    return found;
  }

  lookup(id: string): Secret | undefined {
    this.purgeExpired();
    if (id.startsWith('arn:')) {
      const exact = this.store.get(id);
      if (exact) return exact;
      return this.store.all().find((s) => s.arn.slice(0, s.arn.lastIndexOf('-')) === id);
    }
    return this.store.byName(id);
  }

  /** The secret, refusing one that is scheduled for deletion (the operations that read or change its value). */
  findLive(id: string): Secret {
    const s = this.find(id);
    if (s.deletedAt !== undefined) throw markedForDeletion();
    return s;
  }

  /**
   * Adds a version and moves each of `stages` to it. When AWSCURRENT moves, the version that held
   * it becomes AWSPREVIOUS (and AWSPREVIOUS leaves the version that had it).
   */
  addVersion(secret: Secret, version: Omit<SecretVersion, 'stages' | 'created'>, stages: string[]): SecretVersion {
    const now = this.now();
    const added: SecretVersion = { ...version, stages: [], created: now };
    secret.versions.push(added);
    for (const stage of stages) this.moveStage(secret, stage, added);
    secret.lastChanged = now;
    this.prune(secret);
    return added;
  }

  moveStage(secret: Secret, stage: string, to: SecretVersion): void {
    const from = secret.versions.find((v) => v !== to && v.stages.includes(stage));
    if (from) from.stages = from.stages.filter((s) => s !== stage);
    if (!to.stages.includes(stage)) to.stages.push(stage);
    if (stage === CURRENT && from) {
      const previous = secret.versions.find((v) => v.stages.includes(PREVIOUS));
      if (previous) previous.stages = previous.stages.filter((s) => s !== PREVIOUS);
      from.stages.push(PREVIOUS);
    }
  }

  private prune(secret: Secret): void {
    const deprecated = secret.versions.filter((v) => v.stages.length === 0);
    const drop = new Set(deprecated.slice(0, Math.max(0, deprecated.length - MAX_DEPRECATED_VERSIONS)));
    if (drop.size) secret.versions = secret.versions.filter((v) => !drop.has(v));
  }

  /** A version id from the request's ClientRequestToken (32 to 64 characters), else a new UUID. */
  versionId(input: Input): string {
    const token = optionalString(input, 'ClientRequestToken', 'clientRequestToken', { min: 32, max: 64 });
    return token ?? randomUUID();
  }
}

/** A secret's name: 1 to 512 characters of letters, digits and /_+=.@- (the service's own wording when it is not). */
export function checkName(name: string): void {
  if (name.length === 0 || name.length > 512) {
    throw validation('name', name, `Member must have length ${name.length === 0 ? 'greater than or equal to 1' : 'less than or equal to 512'}`);
  }
  if (!NAME.test(name)) {
    throw new SecretsManagerError('ValidationException', 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
  }
}

/** Epoch seconds, as JSON 1.1 carries timestamps. */
export const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
/** Last-accessed dates are kept to the day, as the service reports them. */
export const day = (ms: number | undefined) => (ms === undefined ? undefined : Math.floor(ms / 86_400_000) * 86_400);

interface StringRule {
  min?: number;
  max?: number;
}

/** A string member, or undefined when absent; a wrong type or length is a ValidationException naming it. */
export function optionalString(input: Input, key: string, member: string, rule: StringRule = {}): string | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw validation(member, v, 'Member must be a string');
  if (rule.min !== undefined && v.length < rule.min) throw validation(member, v, `Member must have length greater than or equal to ${rule.min}`);
  if (rule.max !== undefined && v.length > rule.max) throw validation(member, v, `Member must have length less than or equal to ${rule.max}`);
  return v;
}

export function requiredString(input: Input, key: string, member: string, rule: StringRule = {}): string {
  const v = optionalString(input, key, member, rule);
  if (v === undefined) throw validation(member, undefined, 'Member must not be null');
  return v;
}

export function optionalBoolean(input: Input, key: string, member: string): boolean | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw validation(member, v, 'Member must be a boolean');
  return v;
}

export function optionalInteger(input: Input, key: string, member: string): number | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw validation(member, v, 'Member must be an integer');
  return v;
}
