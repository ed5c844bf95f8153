/**
 * The provider's API key check: `Authorization: Bearer <key>` must equal the key the platform
 * holds in Secrets Manager. The simulator reads that secret through the local cloud's edge, as
 * any client would, caches it, and reads it again (at most once a second) when a request
 * presents another key, so a rotated secret (PutSecretValue) is honoured within a second.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { timingSafeEqual } from 'node:crypto';

/** The key the provider accepts; `fresh` asks to read it again rather than answer the cached one. */
export type ApiKeySource = (fresh: boolean) => Promise<string | undefined>;

export function staticApiKey(key: string): ApiKeySource {
  return async () => key;
}

/** The value of a secret (a plain string, or a JSON object's `api_key`) on a Secrets Manager endpoint. */
export function secretsManagerApiKey(o: { endpoint: string; region: string; secretId: string; log?: (m: string) => void }): ApiKeySource {
  const client = new SecretsManagerClient({ endpoint: o.endpoint, region: o.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 2 });
  let cached: string | undefined;
  return async (fresh) => {
    if (cached !== undefined && !fresh) return cached;
    try {
      const out = await client.send(new GetSecretValueCommand({ SecretId: o.secretId }));
      cached = parseKey(out.SecretString);
    } catch (err) {
      // the secret is created by the deployment, after the simulator starts: until then no key is accepted
      if ((err as Error).name !== 'ResourceNotFoundException') o.log?.(`payment-provider: reading ${o.secretId}: ${(err as Error).message}`);
      cached = undefined;
    }
    return cached;
  };
}

function parseKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.startsWith('{')) {
    try {
      const doc = JSON.parse(value) as { api_key?: unknown };
      if (typeof doc.api_key === 'string') return doc.api_key;
    } catch {
      // a plain key that starts with a brace
    }
  }
  return value;
}

export class ApiKeyCheck {
  private lastFresh = 0;

  constructor(
    private readonly source: ApiKeySource,
    private readonly now: () => number,
  ) {}

  async allows(authorization: string | undefined): Promise<boolean> {
    const presented = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!presented) return false;
    let key = await this.source(false);
    if (!equal(key, presented) && this.now() - this.lastFresh >= 1000) {
      this.lastFresh = this.now();
      key = await this.source(true);
    }
    return equal(key, presented);
  }
}

function equal(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
