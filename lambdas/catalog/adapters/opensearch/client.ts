/**
 * The OpenSearch client of the catalog's functions, from configuration: the domain endpoint
 * (host[:port]), TLS (on in AWS, off on the local emulator) and authentication (SigV4 with the
 * default credential chain for Amazon OpenSearch Service, none locally).
 */
import { Client } from '@opensearch-project/opensearch';
// The signer's SDK v3 flavour: the default entry point also tries AWS SDK v2 at run time, which
// this project does not ship. Credentials come from the SDK's default chain.
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws-v3';
import { optionalEnv, requiredEnv } from '../../../shared/config';

export interface OpenSearchSettings {
  /** host[:port], or a full URL */
  endpoint: string;
  tls: boolean;
  auth: 'sigv4' | 'none';
  region: string;
  /** per request; a read path answers 503 rather than hang */
  requestTimeoutMs: number;
}

export function openSearchSettingsFromEnv(): OpenSearchSettings {
  const auth = optionalEnv('OPENSEARCH_AUTH', 'sigv4');
  if (auth !== 'sigv4' && auth !== 'none') throw new Error(`OPENSEARCH_AUTH must be sigv4 or none, got ${auth}`);
  return {
    endpoint: requiredEnv('OPENSEARCH_ENDPOINT'),
    tls: optionalEnv('OPENSEARCH_TLS', 'true') !== 'false',
    auth,
    region: optionalEnv('AWS_REGION', 'us-east-1'),
    requestTimeoutMs: Number(optionalEnv('OPENSEARCH_TIMEOUT_MS', '3000')),
  };
}

export function nodeUrl(s: Pick<OpenSearchSettings, 'endpoint' | 'tls'>): string {
  return /^https?:\/\//.test(s.endpoint) ? s.endpoint : `${s.tls ? 'https' : 'http'}://${s.endpoint}`;
}

export function createOpenSearchClient(s: OpenSearchSettings): Client {
  return new Client({
    node: nodeUrl(s),
    requestTimeout: s.requestTimeoutMs,
    maxRetries: 1,
    ...(s.auth === 'sigv4' ? AwsSigv4Signer({ region: s.region, service: 'es' }) : {}),
  });
}
