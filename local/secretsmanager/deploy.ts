/**
 * AWS::SecretsManager::Secret from a template, as CloudFormation creates it: SecretString as
 * given, or GenerateSecretString (GetRandomPassword's options, and SecretStringTemplate with
 * GenerateStringKey: the template JSON with the generated password under that key). A restart
 * finds the secret again and keeps its value: CloudFormation generates once and regenerates only
 * when the generation settings change; a literal SecretString that changed becomes a new version.
 */
import { createHash, randomUUID } from 'node:crypto';
import { invalidParameter } from './errors';
import { randomPassword, type PasswordOptions } from './password';
import { checkName, CURRENT, type SecretsService } from './service';
import type { Secret, Tag } from './store';

export interface SecretProperties {
  Name?: string;
  Description?: string;
  KmsKeyId?: string;
  SecretString?: string;
  GenerateSecretString?: PasswordOptions & { SecretStringTemplate?: string; GenerateStringKey?: string };
  Tags?: Tag[];
  ReplicaRegions?: unknown[];
}

/** Booleans and numbers of a resolved template may arrive as strings ("true", "32"). */
function passwordOptions(g: Record<string, unknown>): PasswordOptions {
  const bool = (v: unknown) => (v === undefined ? undefined : v === true || v === 'true');
  const num = (v: unknown) => (v === undefined ? undefined : Number(v));
  return {
    PasswordLength: num(g.PasswordLength),
    ExcludeCharacters: g.ExcludeCharacters as string | undefined,
    ExcludeNumbers: bool(g.ExcludeNumbers),
    ExcludePunctuation: bool(g.ExcludePunctuation),
    ExcludeUppercase: bool(g.ExcludeUppercase),
    ExcludeLowercase: bool(g.ExcludeLowercase),
    IncludeSpace: bool(g.IncludeSpace),
    RequireEachIncludedType: bool(g.RequireEachIncludedType),
  };
}

/** The secret value GenerateSecretString asks for. */
export function generateSecretString(g: NonNullable<SecretProperties['GenerateSecretString']>, pick?: (n: number) => number): string {
  const { SecretStringTemplate: template, GenerateStringKey: key } = g;
  if ((template === undefined) !== (key === undefined)) {
    throw invalidParameter('GenerateSecretString needs both SecretStringTemplate and GenerateStringKey, or neither.');
  }
  const password = randomPassword(passwordOptions(g as Record<string, unknown>), pick);
  if (template === undefined) return password;
  let doc: unknown;
  try {
    doc = JSON.parse(template);
  } catch {
    throw invalidParameter('SecretStringTemplate must be a JSON object.');
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw invalidParameter('SecretStringTemplate must be a JSON object.');
  return JSON.stringify({ ...(doc as Record<string, unknown>), [key!]: password });
}

const fingerprint = (g: unknown) => createHash('sha256').update(JSON.stringify(g ?? null)).digest('hex').slice(0, 16);

/**
 * Creates (or finds again) the secret. `arn` is the ARN the deployer computed for Ref; a secret
 * of that name created earlier through the API keeps its own ARN, which is answered instead.
 */
export function deploySecret(svc: SecretsService, props: SecretProperties, o: { name: string; arn?: string }): { Ref: string; Id: string; Name: string } {
  const name = props.Name ?? o.name;
  checkName(name);
  if (props.SecretString !== undefined && props.GenerateSecretString !== undefined) {
    throw invalidParameter('A secret takes SecretString or GenerateSecretString, not both.');
  }
  if (props.ReplicaRegions?.length) svc.log(`secretsmanager: ${name}: ReplicaRegions ignored (one local Region)`);
  const generator = props.GenerateSecretString === undefined ? undefined : fingerprint(props.GenerateSecretString);
  const now = svc.now();
  let secret: Secret | undefined = svc.lookup(name);
  if (secret?.deletedAt !== undefined) {
    svc.log(`secretsmanager: ${name} was scheduled for deletion; the deployment restores it`);
    secret.deletedAt = secret.deletionDate = undefined;
  }
  if (!secret) {
    secret = { arn: o.arn ?? svc.newArn(name), name, tags: [], created: now, lastChanged: now, versions: [] };
  }
  secret.description = props.Description;
  secret.kmsKeyId = props.KmsKeyId;
  secret.tags = props.Tags ?? [];
  const current = secret.versions.find((v) => v.stages.includes(CURRENT));
  if (props.SecretString !== undefined && current?.string !== props.SecretString) {
    svc.addVersion(secret, { id: randomUUID(), string: props.SecretString }, [CURRENT]);
  } else if (props.GenerateSecretString !== undefined && (!current || secret.generator !== generator)) {
    svc.addVersion(secret, { id: randomUUID(), string: generateSecretString(props.GenerateSecretString) }, [CURRENT]);
    secret.generator = generator;
  } else if (props.SecretString === undefined && props.GenerateSecretString === undefined && !current) {
    // CloudFormation generates a value when neither is given
    svc.addVersion(secret, { id: randomUUID(), string: randomPassword({}) }, [CURRENT]);
  }
  svc.store.put(secret);
  return { Ref: secret.arn, Id: secret.arn, Name: secret.name };
}
